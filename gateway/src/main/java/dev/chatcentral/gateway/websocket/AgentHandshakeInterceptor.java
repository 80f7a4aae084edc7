package dev.chatcentral.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.auth.BearerToken;
import dev.chatcentral.gateway.auth.InvalidAgentTokenException;
import dev.chatcentral.gateway.delivery.ConnectionRefusal;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.Sessions;

/**
 * Authenticates the agent and takes a place on the node for it before the upgrade, so both refusals are plain HTTP
 * answers: 401 for a missing or invalid token; 503 with {@code Retry-After} when the node is full or stopping, 429
 * when the agent or its empresa holds its most sessions here.
 */
class AgentHandshakeInterceptor implements HandshakeInterceptor {

    static final String AGENT_ATTRIBUTE = "chatcentral.agent";
    private static final String RESERVED_ATTRIBUTE = "chatcentral.reserved";

    private static final Logger log = LoggerFactory.getLogger(AgentHandshakeInterceptor.class);

    private final AgentTokenVerifier verifier;
    private final Sessions sessions;
    private final RealtimeMetrics metrics;

    AgentHandshakeInterceptor(AgentTokenVerifier verifier, Sessions sessions, RealtimeMetrics metrics) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        Optional<String> token = token(request);
        if (token.isEmpty()) {
            metrics.refused("unauthorized");
            HttpRefusal.unauthorized(response, "missing token: send Authorization: Bearer <jwt>,"
                    + " Sec-WebSocket-Protocol: " + BearerToken.SUBPROTOCOL + ", bearer.<jwt> or ?token=<jwt>");
            return false;
        }
        Agent agent;
        try {
            agent = verifier.verify(token.get());
        } catch (InvalidAgentTokenException e) {
            log.debug("refused handshake from {}: {}", request.getRemoteAddress(), e.getMessage());
            metrics.refused("unauthorized");
            HttpRefusal.unauthorized(response, e.getMessage());
            return false;
        }
        Optional<ConnectionRefusal> refused = sessions.reserve(agent);
        if (refused.isPresent()) {
            HttpRefusal.refused(response, refused.get());
            return false;
        }
        attributes.put(AGENT_ATTRIBUTE, agent);
        if (request instanceof ServletServerHttpRequest servlet) {
            servlet.getServletRequest().setAttribute(RESERVED_ATTRIBUTE, agent);
        }
        return true;
    }

    /** A handshake that took a place but did not upgrade (a bad WebSocket request) gives the place back. */
    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        boolean upgraded = exception == null && response instanceof ServletServerHttpResponse servlet
                && servlet.getServletResponse().getStatus() == HttpStatus.SWITCHING_PROTOCOLS.value();
        if (!upgraded && request instanceof ServletServerHttpRequest servlet
                && servlet.getServletRequest().getAttribute(RESERVED_ATTRIBUTE) instanceof Agent agent) {
            servlet.getServletRequest().removeAttribute(RESERVED_ATTRIBUTE);
            sessions.release(agent);
        }
    }

    private static Optional<String> token(ServerHttpRequest request) {
        String query = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("token");
        List<String> protocols = request.getHeaders().getOrEmpty(WebSocketHttpHeaders.SEC_WEBSOCKET_PROTOCOL);
        return BearerToken.find(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION), protocols,
                query == null ? null : UriUtils.decode(query, StandardCharsets.UTF_8));
    }
}
