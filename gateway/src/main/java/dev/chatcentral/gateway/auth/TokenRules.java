package dev.chatcentral.gateway.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * What a verified agent token must also say of itself, whatever its algorithm: who issued it, that it is meant for
 * chat-central, and that it is valid now. Without {@code iss} and {@code aud}, a token the same identity provider
 * issued to another application, carrying {@code empresaId} and {@code roles}, would open every empresa here.
 *
 * @param issuers   accepted {@code iss} values
 * @param audiences accepted {@code aud} values: the token's must name one of them
 * @param clockSkew tolerated difference between the issuer's clock and ours, on {@code exp} and {@code nbf}
 */
public record TokenRules(Set<String> issuers, Set<String> audiences, Duration clockSkew) {

    public TokenRules(Collection<String> issuers, Collection<String> audiences, Duration clockSkew) {
        this(Set.copyOf(issuers), Set.copyOf(audiences), clockSkew);
    }

    /** @throws InvalidAgentTokenException saying which rule the token breaks */
    void check(JWTClaimsSet claims, Instant now) {
        if (claims.getExpirationTime() == null) {
            throw new InvalidAgentTokenException("token has no exp claim");
        }
        Instant expiresAt = claims.getExpirationTime().toInstant();
        if (!now.minus(clockSkew).isBefore(expiresAt)) {
            throw new InvalidAgentTokenException("token expired at " + expiresAt);
        }
        if (claims.getNotBeforeTime() != null
                && now.plus(clockSkew).isBefore(claims.getNotBeforeTime().toInstant())) {
            throw new InvalidAgentTokenException("token is not valid before " + claims.getNotBeforeTime().toInstant());
        }
        String issuer = claims.getIssuer();
        if (issuer == null || !issuers.contains(issuer)) {
            throw new InvalidAgentTokenException(issuer == null ? "token has no iss claim"
                    : "token issuer " + issuer + " is not one this gateway accepts");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || audience.stream().noneMatch(audiences::contains)) {
            throw new InvalidAgentTokenException(audience == null || audience.isEmpty() ? "token has no aud claim"
                    : "token audience " + audience + " does not name this gateway");
        }
    }
}
