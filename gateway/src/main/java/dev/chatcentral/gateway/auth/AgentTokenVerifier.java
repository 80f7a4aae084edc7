package dev.chatcentral.gateway.auth;

/**
 * Turns an agent's bearer token into an {@link Agent}. Implementations differ only in how the signature is
 * checked (a shared HS256 secret in development, RS256 keys from a JWKS URL in production); the claims are read
 * the same way by {@link AgentClaims}.
 */
public interface AgentTokenVerifier {

    /** @throws InvalidAgentTokenException when the token is malformed, badly signed, expired or lacks a claim */
    Agent verify(String token);
}
