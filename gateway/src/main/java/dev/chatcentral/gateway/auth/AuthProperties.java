package dev.chatcentral.gateway.auth;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How agents' tokens are checked. HS256 and RS256 may be enabled together (a migration from one issuer to the
 * other); a token's {@code alg} header chooses which check applies, and an algorithm that is not enabled is refused.
 *
 * @param hs256Secret shared HS256 secret of agent JWTs (env AGENT_JWT_SECRET), at least 32 bytes; blank disables
 *                    HS256
 * @param jwksUrl     where the identity provider publishes its RS256 keys (env AGENT_JWKS_URL); unset disables RS256
 * @param jwksCacheTtl how long fetched keys are used before they are fetched again; a token with an unknown
 *                    {@code kid} triggers an earlier fetch (key rotation)
 * @param jwksTimeout longest one fetch of the JWKS may take
 */
@ConfigurationProperties("chatcentral.gateway.auth")
public record AuthProperties(
        @DefaultValue("dev-only-agent-jwt-secret-change-me-0123456789") String hs256Secret,
        URI jwksUrl,
        @DefaultValue("5m") Duration jwksCacheTtl,
        @DefaultValue("5s") Duration jwksTimeout) {
}
