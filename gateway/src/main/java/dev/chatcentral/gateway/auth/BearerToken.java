package dev.chatcentral.gateway.auth;

import java.util.List;
import java.util.Optional;

/**
 * Finds an agent's token in a request, in the places the protocol allows (docs/protocol.md), first match wins:
 * {@code Authorization: Bearer <jwt>}; a {@code Sec-WebSocket-Protocol} entry {@code bearer.<jwt>} (browsers
 * cannot set headers on a WebSocket, but they can offer subprotocols); the {@code token} query parameter.
 */
public final class BearerToken {

    /** The subprotocol the gateway speaks and echoes back; a client offering {@code bearer.<jwt>} must offer it too. */
    public static final String SUBPROTOCOL = "chatcentral.v1";
    public static final String SUBPROTOCOL_PREFIX = "bearer.";
    private static final String BEARER = "bearer ";

    private BearerToken() {
    }

    /**
     * @param authorization the Authorization header, or null
     * @param subprotocols  the offered subprotocols (each header value may hold several, comma-separated)
     * @param queryToken    the decoded {@code token} query parameter, or null
     */
    public static Optional<String> find(String authorization, List<String> subprotocols, String queryToken) {
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        for (String header : subprotocols) {
            for (String protocol : header.split(",")) {
                String trimmed = protocol.trim();
                if (trimmed.startsWith(SUBPROTOCOL_PREFIX) && trimmed.length() > SUBPROTOCOL_PREFIX.length()) {
                    return Optional.of(trimmed.substring(SUBPROTOCOL_PREFIX.length()));
                }
            }
        }
        return queryToken == null || queryToken.isBlank() ? Optional.empty() : Optional.of(queryToken);
    }
}
