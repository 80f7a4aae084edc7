package dev.chatcentral.ingest.auth;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.chatcentral.ingest.IngestProperties;
import dev.chatcentral.ingest.directory.EmpresaDirectory;

/**
 * Checks a webhook's {@code Authorization} header against the empresa's secrets, in the two forms Evolution sends:
 * {@code Bearer <secret>} (a custom header of the webhook), or {@code Bearer <jwt>} that Evolution mints from its
 * {@code jwt_key} header setting: HS256 signed with the secret, claims {@code app: "evolution"},
 * {@code action: "webhook"} and {@code exp} ten minutes after {@code iat}.
 */
@Component
public class WebhookAuthenticator {

    private final EmpresaDirectory directory;
    private final Duration clockSkew;
    private final Duration maxJwtAge;

    public WebhookAuthenticator(EmpresaDirectory directory, IngestProperties properties) {
        this.directory = directory;
        this.clockSkew = properties.webhookJwt().clockSkew();
        this.maxJwtAge = properties.webhookJwt().maxAge();
    }

    /** Empty when authenticated, else why not (for the 401's reason). */
    public Optional<String> authenticate(String empresaId, String authorizationHeader) {
        String credential = bearer(authorizationHeader);
        if (credential == null) {
            return Optional.of("missing Authorization: Bearer <webhook secret or Evolution JWT>");
        }
        if (looksLikeJwt(credential)) {
            return verifyJwt(empresaId, credential);
        }
        return directory.authenticate(empresaId, credential)
                ? Optional.empty()
                // one answer for unknown empresa and wrong secret: the caller learns nothing about which exist
                : Optional.of("unknown empresa or invalid webhook secret");
    }

    private Optional<String> verifyJwt(String empresaId, String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Optional.of("malformed JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            return Optional.of("JWT must be signed with HS256");
        }
        if (!directory.anyJwtKey(empresaId, key -> verifies(jwt, key))) {
            return Optional.of("unknown empresa or JWT not signed with its webhook secret");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        Instant now = Instant.now();
        if (exp == null || iat == null) {
            return Optional.of("JWT has no exp or no iat");
        }
        if (exp.toInstant().plus(clockSkew).isBefore(now)) {
            return Optional.of("JWT expired at " + exp.toInstant());
        }
        // Evolution mints a token per webhook: one older than that was captured and replayed, whatever its exp says
        if (iat.toInstant().plus(maxJwtAge).plus(clockSkew).isBefore(now)) {
            return Optional.of("JWT issued at " + iat.toInstant() + " is older than " + maxJwtAge);
        }
        if (iat.toInstant().minus(clockSkew).isAfter(now)) {
            return Optional.of("JWT issued at " + iat.toInstant() + ", in the future");
        }
        if (!"evolution".equals(claims.getClaim("app")) || !"webhook".equals(claims.getClaim("action"))) {
            return Optional.of("JWT is not an Evolution webhook token (claims app=evolution, action=webhook)");
        }
        return Optional.empty();
    }

    private static boolean verifies(SignedJWT jwt, byte[] key) {
        try {
            // HS256 keys shorter than 256 bits are refused by the verifier; such a secret cannot match
            return key.length >= 32 && jwt.verify(new MACVerifier(key));
        } catch (JOSEException e) {
            return false;
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static boolean looksLikeJwt(String credential) {
        return credential.startsWith("eyJ") && credential.chars().filter(c -> c == '.').count() == 2;
    }
}
