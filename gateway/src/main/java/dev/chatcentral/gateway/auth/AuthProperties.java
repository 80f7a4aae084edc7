package dev.chatcentral.gateway.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How agents' tokens are checked.
 *
 * @param hs256Secret shared HS256 secret of agent JWTs (env AGENT_JWT_SECRET), at least 32 bytes
 */
@ConfigurationProperties("chatcentral.gateway.auth")
public record AuthProperties(@DefaultValue("dev-only-agent-jwt-secret-change-me-0123456789") String hs256Secret) {
}
