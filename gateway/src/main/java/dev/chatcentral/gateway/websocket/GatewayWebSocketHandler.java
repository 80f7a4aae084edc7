package dev.chatcentral.gateway.websocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.auth.BearerToken;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.command.CommandIntake;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.CloseCodes;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.SessionProperties;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.delivery.Transport;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.signal.SignalPublisher;
import dev.chatcentral.gateway.signal.TypingLane;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.service.logging.LogContext;

/**
 * The {@code /ws} connection (docs/protocol.md): {@code connected} once the session can receive live events, then
 * the client's frames, each assembled from its pieces, held to the session's rate and parsed before
 * {@link ClientFrames} does what it asks. A bad frame gets an error frame and the connection stays open; a flood is
 * refused frame by frame with {@code rate_limited}, and closed if it goes on.
 */
class GatewayWebSocketHandler extends TextWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);
    /** Tomcat's own bound on a blocking send; without it a stuck socket holds the writer for 20 s. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final Sessions sessions;
    private final ClientFrames frames;
    private final GatewayNode node;
    private final WebSocketProperties properties;
    private final int maxFrameChars;
    private final SessionProperties limits;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    GatewayWebSocketHandler(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout,
                            Sessions sessions, SignalPublisher signals, TypingLane typing, CommandIntake commands,
                            RealtimeMetrics metrics, GatewayNode node, WebSocketProperties properties,
                            SessionProperties limits) {
        this.sessions = sessions;
        this.frames = new ClientFrames(verifier, authorizer, fanout, sessions, signals, typing, commands, metrics,
                limits.maxChannels());
        this.node = node;
        this.properties = properties;
        this.maxFrameChars = (int) properties.maxFrameSize().toBytes();
        this.limits = limits;
    }

    /** The protocol echoed to clients that offer it (needed when the token rides in Sec-WebSocket-Protocol). */
    @Override
    public List<String> getSubProtocols() {
        return List.of(BearerToken.SUBPROTOCOL);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Agent agent = (Agent) session.getAttributes().get(AgentHandshakeInterceptor.AGENT_ATTRIBUTE);
        boundBlockingSends(session);
        ClientSession client = sessions.open(Transport.WEBSOCKET, agent, new WebSocketSink(session), true);
        connections.put(session.getId(), new Connection(client, new TokenBucket(limits.frameRate(), limits.frameBurst()),
                new StringBuilder(0)));
        try {
            // "connected" promises live delivery, so it waits until the empresa's partition is positioned
            client.ready().get(properties.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("session {} of empresa {} closed: events not ready within {}: {}", client.id(),
                    agent.empresaId(), properties.readyTimeout(), e.getMessage());
            client.close(CloseCodes.TRY_AGAIN_LATER, "events not available, reconnect later");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close(CloseCodes.SERVICE_RESTART, "node shutting down: reconnect and resume");
            return;
        }
        client.send(Frames.connected(client.id(), agent, node.id()));
        log.debug("session {} opened for user {} of empresa {}", client.id(), agent.userId(), agent.empresaId());
    }

    /**
     * Frames arrive in pieces of the container's small read buffer rather than whole: a buffer the size of the
     * largest frame, allocated for every session, would dominate the memory of an idle connection.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection == null) {
            return;
        }
        try (LogContext logContext = LogContext.open().put(LogContext.EMPRESA_ID,
                connection.client().agent().empresaId())) {
            String text = assemble(connection, message);
            if (text != null) {
                handleFrame(connection, text);
            }
        }
    }

    /** The whole frame once its last piece arrived, else null; closes with 1009 past the frame size limit. */
    private String assemble(Connection connection, TextMessage piece) {
        StringBuilder partial = connection.partial();
        if (piece.isLast() && partial.isEmpty()) {
            if (piece.getPayloadLength() > maxFrameChars) {
                connection.client().close(CloseStatus.TOO_BIG_TO_PROCESS.getCode(), "frame too large");
                return null;
            }
            return piece.getPayload();
        }
        partial.append(piece.getPayload());
        if (partial.length() > maxFrameChars) {
            partial.setLength(0);
            partial.trimToSize();
            connection.client().close(CloseStatus.TOO_BIG_TO_PROCESS.getCode(), "frame too large");
            return null;
        }
        if (!piece.isLast()) {
            return null;
        }
        String text = partial.toString();
        partial.setLength(0);
        partial.trimToSize();
        return text;
    }

    private void handleFrame(Connection connection, String text) {
        ClientSession client = connection.client();
        client.touch();
        if (!connection.bucket().tryTake()) {
            if (connection.bucket().refusedInRow() > limits.frameBurst()) {
                client.close(CloseCodes.RATE_LIMITED, "too many frames: reconnect later and resume");
            } else {
                frames.error(client, Frames.RATE_LIMITED, "too many frames: this one was dropped, slow down");
            }
            return;
        }
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            frames.error(client, Frames.BAD_FRAME, "frame is not valid JSON");
            return;
        }
        JsonNode type = frame == null ? null : frame.get("type");
        if (type == null || !frame.isObject() || !type.isString()) {
            frames.error(client, Frames.BAD_FRAME, "frame must be a JSON object with a string \"type\"");
            return;
        }
        frames.handle(client, frame, type.stringValue());
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection != null) {
            connection.client().touch();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("transport error on session {}: {}", session.getId(), exception.getMessage());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connections.remove(session.getId());
        if (connection != null) {
            sessions.closed(connection.client());
            log.debug("session {} closed: {}", connection.client().id(), status);
        }
    }

    private void boundBlockingSends(WebSocketSession session) {
        if (session instanceof NativeWebSocketSession nativeSession) {
            jakarta.websocket.Session container = nativeSession.getNativeSession(jakarta.websocket.Session.class);
            if (container != null) {
                container.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, limits.sendTimeLimit().toMillis());
            }
        }
    }

    /** A session's state in this handler; {@code partial} holds a text frame arriving in pieces. */
    private record Connection(ClientSession client, TokenBucket bucket, StringBuilder partial) {
    }
}
