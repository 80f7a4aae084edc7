package dev.chatcentral.gateway.auth;

import java.text.ParseException;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;

/**
 * Sends each token to the verifier of its {@code alg}: HS256 to the shared secret, RS256 to the JWKS. Each
 * verifier pins its own algorithm again, so a token can never choose a weaker check than the one configured.
 */
final class AlgorithmRoutingVerifier implements AgentTokenVerifier {

    private final AgentTokenVerifier hs256;
    private final AgentTokenVerifier rs256;

    /** @param hs256 null when HS256 is disabled; @param rs256 null when no JWKS URL is configured */
    AlgorithmRoutingVerifier(AgentTokenVerifier hs256, AgentTokenVerifier rs256) {
        this.hs256 = hs256;
        this.rs256 = rs256;
    }

    @Override
    public Agent verify(String token) {
        JWSAlgorithm algorithm;
        try {
            algorithm = SignedJWT.parse(token).getHeader().getAlgorithm();
        } catch (ParseException e) {
            throw new InvalidAgentTokenException("token is not a signed JWT", e);
        }
        if (JWSAlgorithm.HS256.equals(algorithm) && hs256 != null) {
            return hs256.verify(token);
        }
        if (JWSAlgorithm.RS256.equals(algorithm) && rs256 != null) {
            return rs256.verify(token);
        }
        throw new InvalidAgentTokenException("token must be signed with " + accepted() + ", not " + algorithm);
    }

    private String accepted() {
        if (hs256 != null && rs256 != null) {
            return "HS256 or RS256";
        }
        return hs256 != null ? "HS256" : "RS256";
    }
}
