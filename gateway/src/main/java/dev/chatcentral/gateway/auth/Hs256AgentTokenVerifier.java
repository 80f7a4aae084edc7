package dev.chatcentral.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;

/** Verifies agent tokens signed with HS256 and one shared secret (development and single-issuer setups). */
public final class Hs256AgentTokenVerifier implements AgentTokenVerifier {

    /** HS256 is only as strong as its key; RFC 7518 requires at least the hash size, 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    private final MACVerifier verifier;
    private final TokenRules rules;
    private final Clock clock;

    public Hs256AgentTokenVerifier(String secret, TokenRules rules, Clock clock) {
        byte[] key = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("chatcentral.gateway.auth.hs256-secret (AGENT_JWT_SECRET) must be at least "
                    + MIN_SECRET_BYTES + " bytes, it has " + key.length);
        }
        try {
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HS256 secret: " + e.getMessage(), e);
        }
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public Agent verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidAgentTokenException("token is not a signed JWT", e);
        }
        // The header chooses the algorithm, so it must be pinned: never let a token pick "none" or another key type.
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidAgentTokenException("token must be signed with HS256, not " + jwt.getHeader().getAlgorithm());
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidAgentTokenException("token signature is invalid");
            }
            return AgentClaims.read(jwt.getJWTClaimsSet(), clock.instant(), rules);
        } catch (JOSEException e) {
            throw new InvalidAgentTokenException("token signature cannot be checked: " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new InvalidAgentTokenException("token claims are not a JSON object", e);
        }
    }
}
