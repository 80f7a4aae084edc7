package dev.chatcentral.gateway.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.channel.ChannelAccess;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.EventConsumer;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.schemas.serde.Json;

/**
 * The {@code /ws} protocol: {@code connected} once the session can receive live events, then subscribe,
 * unsubscribe and ping frames. A bad frame gets an error frame and the connection stays open.
 */
class GatewayWebSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayWebSocketHandler.class);
    /** Tomcat's own bound on a blocking send; without it a stuck socket holds the sending thread for 20 s. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final ChannelAuthorizer authorizer;
    private final Fanout fanout;
    private final EventConsumer events;
    private final WebSocketProperties properties;
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();

    GatewayWebSocketHandler(ChannelAuthorizer authorizer, Fanout fanout, EventConsumer events,
                            WebSocketProperties properties) {
        this.authorizer = authorizer;
        this.fanout = fanout;
        this.events = events;
        this.properties = properties;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Agent agent = (Agent) session.getAttributes().get(AgentHandshakeInterceptor.AGENT_ATTRIBUTE);
        boundBlockingSends(session);
        ClientSession client = new ClientSession(new ConcurrentWebSocketSessionDecorator(session,
                (int) properties.sendTimeLimit().toMillis(), (int) properties.sendBufferLimit().toBytes()), agent);
        sessions.put(session.getId(), client);
        try {
            // "connected" promises live delivery, so it waits until the empresa's partition is positioned
            events.attach(agent.empresaId()).get(properties.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("session {} of empresa {} closed: events not ready within {}: {}", session.getId(),
                    agent.empresaId(), properties.readyTimeout(), e.getMessage());
            client.close(CloseStatus.SERVICE_OVERLOAD.withReason("events not available, reconnect later"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close(CloseStatus.SERVICE_RESTARTED);
            return;
        }
        client.send(Frames.connected(session.getId(), agent));
        log.debug("session {} opened for user {} of empresa {}", session.getId(), agent.userId(), agent.empresaId());
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        ClientSession client = sessions.get(session.getId());
        if (client == null) {
            return;
        }
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(message.getPayload());
        } catch (JacksonException e) {
            client.send(Frames.error(Frames.BAD_FRAME, "frame is not valid JSON"));
            return;
        }
        JsonNode type = frame == null ? null : frame.get("type");
        if (type == null || !frame.isObject() || !type.isString()) {
            client.send(Frames.error(Frames.BAD_FRAME, "frame must be a JSON object with a string \"type\""));
            return;
        }
        switch (type.stringValue()) {
            case "subscribe" -> subscribe(client, frame);
            case "unsubscribe" -> unsubscribe(client, frame);
            case "ping" -> client.send(Frames.pong());
            default -> client.send(Frames.error(Frames.BAD_FRAME,
                    "unknown frame type \"" + Frames.echo(type.stringValue()) + "\""));
        }
    }

    private void subscribe(ClientSession client, JsonNode frame) {
        String channel = channelOf(client, frame);
        if (channel == null) {
            return;
        }
        ChannelAccess access = authorizer.check(client.agent(), channel);
        switch (access.outcome()) {
            case GRANTED -> {
                fanout.subscribe(client, channel);
                client.send(Frames.subscribed(channel));
            }
            case BAD_CHANNEL -> client.send(Frames.error(Frames.BAD_CHANNEL, access.reason(), channel));
            case FORBIDDEN -> client.send(Frames.error(Frames.FORBIDDEN, access.reason(), channel));
            case UNAVAILABLE -> client.send(Frames.error(Frames.UNAVAILABLE, access.reason(), channel));
        }
    }

    private void unsubscribe(ClientSession client, JsonNode frame) {
        String channel = channelOf(client, frame);
        if (channel == null) {
            return;
        }
        fanout.unsubscribe(client, channel);
        client.send(Frames.unsubscribed(channel));
    }

    /** The frame's channel, or null after telling the client its frame lacks one. */
    private static String channelOf(ClientSession client, JsonNode frame) {
        JsonNode channel = frame.get("channel");
        if (channel == null || !channel.isString()) {
            client.send(Frames.error(Frames.BAD_FRAME, "\"" + frame.get("type").stringValue()
                    + "\" needs a string \"channel\""));
            return null;
        }
        return channel.stringValue();
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("transport error on session {}: {}", session.getId(), exception.getMessage());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ClientSession client = sessions.remove(session.getId());
        if (client != null) {
            fanout.unsubscribeAll(client);
            events.detach(client.agent().empresaId());
            log.debug("session {} closed: {}", session.getId(), status);
        }
    }

    private void boundBlockingSends(WebSocketSession session) {
        if (session instanceof NativeWebSocketSession nativeSession) {
            jakarta.websocket.Session container = nativeSession.getNativeSession(jakarta.websocket.Session.class);
            if (container != null) {
                container.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, properties.sendTimeLimit().toMillis());
            }
        }
    }
}
