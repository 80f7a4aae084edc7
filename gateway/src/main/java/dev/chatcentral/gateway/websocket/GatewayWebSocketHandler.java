package dev.chatcentral.gateway.websocket;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import dev.chatcentral.gateway.auth.InvalidAgentTokenException;
import dev.chatcentral.gateway.channel.ChannelAccess;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.command.CommandIntake;
import dev.chatcentral.gateway.command.CommandRefusedException;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.CloseCodes;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.OutboundFrame;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.SessionProperties;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.delivery.Transport;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.signal.SignalPublisher;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.service.logging.LogContext;

/**
 * The {@code /ws} protocol (docs/protocol.md): {@code connected} once the session can receive live events, then
 * the client's frames. A bad frame gets an error frame and the connection stays open; a flood is refused frame by
 * frame with {@code rate_limited}, and closed if it goes on.
 */
class GatewayWebSocketHandler extends TextWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);
    /** Tomcat's own bound on a blocking send; without it a stuck socket holds the writer for 20 s. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final AgentTokenVerifier verifier;
    private final ChannelAuthorizer authorizer;
    private final Fanout fanout;
    private final Sessions sessions;
    private final SignalPublisher signals;
    private final CommandIntake commands;
    private final RealtimeMetrics metrics;
    private final GatewayNode node;
    private final WebSocketProperties properties;
    private final int maxFrameChars;
    private final SessionProperties limits;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    GatewayWebSocketHandler(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout,
                            Sessions sessions, SignalPublisher signals, CommandIntake commands,
                            RealtimeMetrics metrics, GatewayNode node, WebSocketProperties properties,
                            SessionProperties limits) {
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.fanout = fanout;
        this.sessions = sessions;
        this.signals = signals;
        this.commands = commands;
        this.metrics = metrics;
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
                error(client, Frames.RATE_LIMITED, "too many frames: this one was dropped, slow down");
            }
            return;
        }
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            error(client, Frames.BAD_FRAME, "frame is not valid JSON");
            return;
        }
        JsonNode type = frame == null ? null : frame.get("type");
        if (type == null || !frame.isObject() || !type.isString()) {
            error(client, Frames.BAD_FRAME, "frame must be a JSON object with a string \"type\"");
            return;
        }
        switch (type.stringValue()) {
            case "subscribe" -> subscribe(client, frame);
            case "unsubscribe" -> unsubscribe(client, frame);
            case "ping" -> client.send(Frames.pong());
            case "refresh" -> refresh(client, frame);
            case Signal.TYPING_START, Signal.TYPING_STOP -> typing(client, frame,
                    type.stringValue());
            case "presence" -> presence(client, frame);
            case "command" -> command(client, frame);
            default -> error(client, Frames.BAD_FRAME,
                    "unknown frame type \"" + Frames.echo(type.stringValue()) + "\"");
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection != null) {
            connection.client().touch();
        }
    }

    private void subscribe(ClientSession client, JsonNode frame) {
        String channel = string(client, frame, "channel");
        if (channel == null) {
            return;
        }
        Long since = null;
        JsonNode position = frame.get("since");
        if (position != null && !position.isNull()) {
            if (!position.isIntegralNumber() || !position.canConvertToLong() || position.longValue() < -1) {
                error(client, Frames.BAD_FRAME, "\"since\" must be a position: an integer, at least -1", channel);
                return;
            }
            since = position.longValue();
        }
        Optional<ChannelAccess> malformed = authorizer.refuseMalformed(channel);
        if (malformed.isPresent()) {
            error(client, Frames.BAD_CHANNEL, malformed.get().reason(), channel);
            return;
        }
        // counted before the authorization, so a session at its limit costs no PostgreSQL lookups; a channel
        // already followed is subscribed anew and takes no second place
        if (!client.isSubscribed(channel) && client.channelCount() >= limits.maxChannels()) {
            error(client, Frames.TOO_MANY_CHANNELS, "this session follows " + limits.maxChannels()
                    + " channels, the most allowed: unsubscribe one first", channel);
            return;
        }
        ChannelAccess access = authorizer.check(client.agent(), channel);
        switch (access.outcome()) {
            case GRANTED -> fanout.subscribe(client, List.of(channel), since);
            case BAD_CHANNEL -> error(client, Frames.BAD_CHANNEL, access.reason(), channel);
            case FORBIDDEN -> error(client, Frames.FORBIDDEN, access.reason(), channel);
            case UNAVAILABLE -> error(client, Frames.UNAVAILABLE, access.reason(), channel);
        }
    }

    private void unsubscribe(ClientSession client, JsonNode frame) {
        String channel = string(client, frame, "channel");
        if (channel != null) {
            fanout.unsubscribe(client, channel);
            client.send(Frames.unsubscribed(channel));
        }
    }

    /**
     * A newer token of the same user and empresa replaces the session's, before the old one expires. Channels the
     * new token no longer allows (a role taken away) are unsubscribed, each with a {@code forbidden} error.
     */
    private void refresh(ClientSession client, JsonNode frame) {
        String token = string(client, frame, "token");
        if (token == null) {
            return;
        }
        Agent refreshed;
        try {
            refreshed = verifier.verify(token);
            sessions.refresh(client, refreshed);
        } catch (InvalidAgentTokenException | IllegalArgumentException e) {
            error(client, Frames.REFRESH_REFUSED, e.getMessage());
            return;
        }
        client.send(Frames.refreshed(refreshed.expiresAt()));
        for (String channel : client.channels()) {
            ChannelAccess access = authorizer.check(refreshed, channel);
            if (access.outcome() == ChannelAccess.Outcome.FORBIDDEN) {
                fanout.unsubscribe(client, channel);
                error(client, Frames.FORBIDDEN, "no longer allowed by the refreshed token: " + access.reason(),
                        channel);
            }
        }
    }

    private void typing(ClientSession client, JsonNode frame, String type) {
        String conversaId = string(client, frame, "conversaId");
        if (conversaId == null) {
            return;
        }
        String channel = Channel.Kind.CONVERSA.prefix() + ":" + conversaId;
        if (!client.isSubscribed(channel)) {
            ChannelAccess access = authorizer.check(client.agent(), channel);
            if (access.outcome() == ChannelAccess.Outcome.BAD_CHANNEL) {
                error(client, Frames.BAD_FRAME, "\"conversaId\" is not a conversa id");
                return;
            }
            if (access.outcome() != ChannelAccess.Outcome.GRANTED) {
                error(client, access.outcome() == ChannelAccess.Outcome.UNAVAILABLE ? Frames.UNAVAILABLE
                        : Frames.FORBIDDEN, access.reason(), channel);
                return;
            }
        }
        publish(client, type, conversaId, null);
    }

    private void presence(ClientSession client, JsonNode frame) {
        String status = string(client, frame, "status");
        if (status == null) {
            return;
        }
        if (!PresenceStatus.ALL.contains(status)) {
            error(client, Frames.BAD_FRAME, "\"status\" must be one of disponivel, ausente, ocupado");
            return;
        }
        publish(client, Signal.STATUS_CHANGED, null, status);
    }

    private void publish(ClientSession client, String type, String conversaId, String status) {
        signals.publish(type, client.id(), client.agent(), conversaId, status).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("signal {} of session {} not written: {}", type, client.id(), e.getMessage());
                error(client, Frames.UNAVAILABLE, "the signal could not be written, send it again");
            }
        });
    }

    /**
     * Answers {@code command_accepted} once Kafka has the command; what the command does arrives later as events
     * (a refusal as {@code command_rejected} on the issuer's {@code atendente:} channel).
     */
    private void command(ClientSession client, JsonNode frame) {
        commands.submit(client.agent(), frame).whenComplete((command, e) -> {
            if (e == null) {
                client.send(Frames.commandAccepted(command.commandId()));
                return;
            }
            CommandRefusedException refused = CommandRefusedException.of(e);
            String code = switch (refused.reason()) {
                case BAD_COMMAND -> Frames.BAD_COMMAND;
                case FOREIGN_CONVERSA -> Frames.FORBIDDEN;
                case UNAVAILABLE -> Frames.UNAVAILABLE;
            };
            send(client, code, Frames.commandError(code, refused.getMessage(), refused.commandId()));
        });
    }

    /** The frame's string field, or null after telling the client its frame lacks one. */
    private String string(ClientSession client, JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || !value.isString()) {
            error(client, Frames.BAD_FRAME, "\"" + frame.get("type").stringValue() + "\" needs a string \""
                    + field + "\"");
            return null;
        }
        return value.stringValue();
    }

    private void error(ClientSession client, String code, String message) {
        send(client, code, Frames.error(code, message));
    }

    private void error(ClientSession client, String code, String message, String channel) {
        send(client, code, Frames.error(code, message, channel));
    }

    private void send(ClientSession client, String code, OutboundFrame frame) {
        metrics.error(code);
        client.send(frame);
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
