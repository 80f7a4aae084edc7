package dev.chatcentral.gateway.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.auth.InvalidAgentTokenException;
import dev.chatcentral.schemas.serde.Json;

/**
 * Authenticates the agent before the upgrade: a valid token from {@code Authorization: Bearer} or, for browsers
 * (which cannot set headers on a WebSocket), the {@code token} query parameter. Anything else is answered with a
 * plain HTTP 401 and no upgrade.
 */
class AgentHandshakeInterceptor implements HandshakeInterceptor {

    static final String AGENT_ATTRIBUTE = Agent.class.getName();

    private static final Logger log = LoggerFactory.getLogger(AgentHandshakeInterceptor.class);
    private static final String BEARER = "bearer ";

    private final AgentTokenVerifier verifier;

    AgentHandshakeInterceptor(AgentTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        String token = token(request);
        if (token == null) {
            refuse(response, "missing token: send Authorization: Bearer <jwt> or ?token=<jwt>");
            return false;
        }
        try {
            attributes.put(AGENT_ATTRIBUTE, verifier.verify(token));
            return true;
        } catch (InvalidAgentTokenException e) {
            log.debug("refused handshake from {}: {}", request.getRemoteAddress(), e.getMessage());
            refuse(response, e.getMessage());
            return false;
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // nothing to undo: a refused or failed handshake created no session
    }

    private static String token(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            return token.isEmpty() ? null : token;
        }
        String query = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("token");
        return query == null || query.isBlank() ? null : UriUtils.decode(query, StandardCharsets.UTF_8);
    }

    private static void refuse(ServerHttpResponse response, String reason) {
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        try {
            response.getBody().write(Json.MAPPER.writeValueAsBytes(Map.of("error", "unauthorized", "reason", reason)));
        } catch (IOException e) {
            log.debug("could not write the 401 body: {}", e.getMessage());
        }
    }
}
