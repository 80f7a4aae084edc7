package dev.chatcentral.gateway.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
 * @param issuers     accepted {@code iss} claims (env AGENT_JWT_ISSUERS, comma-separated); a token without one of
 *                    them is refused
 * @param audiences   accepted {@code aud} claims (env AGENT_JWT_AUDIENCES); a token's audience must name one of them
 * @param clockSkew   tolerated difference between the issuer's clock and ours, on {@code exp} and {@code nbf}
 */
@ConfigurationProperties("chatcentral.gateway.auth")
public record AuthProperties(
        String hs256Secret,
        URI jwksUrl,
        Duration jwksCacheTtl,
        Duration jwksTimeout,
        List<String> issuers,
        List<String> audiences,
        Duration clockSkew) {
}
