package dev.chatcentral.testing;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints agent JWTs as the product's identity provider would: HS256, claims iss, aud, sub, empresaId, roles, name,
 * exp, with the issuer and audience the gateway's {@code dev} profile accepts.
 */
public final class AgentTokens {

    /** The gateway's default development secret (chatcentral.gateway.auth.hs256-secret). */
    public static final String DEV_SECRET = "dev-only-agent-jwt-secret-change-me-0123456789";
    /** The {@code iss} and {@code aud} the gateway accepts in its {@code dev} profile. */
    public static final String DEV_ISSUER = "chat-central-dev";
    public static final String DEV_AUDIENCE = "chat-central";

    private AgentTokens() {
    }

    public static String mint(String secret, String userId, String empresaId, List<String> roles, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(DEV_ISSUER)
                .audience(DEV_AUDIENCE)
                .subject(userId)
                .claim("empresaId", empresaId)
                .claim("roles", roles)
                .claim("name", "Atendente " + userId)
                .issueTime(new Date())
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with that secret", e);
        }
        return jwt.serialize();
    }

    /** A token of the development secret, valid for an hour. */
    public static String atendente(String userId, String empresaId) {
        return mint(DEV_SECRET, userId, empresaId, List.of("atendente"), Instant.now().plusSeconds(3600));
    }
}
