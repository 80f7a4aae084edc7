package dev.chatcentral.gateway.websocket;

import org.springframework.web.socket.TextMessage;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.schemas.serde.Json;

/** The control frames the server sends (docs/protocol.md); event frames are built by the delivery. */
final class Frames {

    static final String BAD_FRAME = "bad_frame";
    static final String BAD_CHANNEL = "bad_channel";
    static final String FORBIDDEN = "forbidden";
    static final String UNAVAILABLE = "unavailable";

    /** Echoed text is cut so an error frame stays small whatever the client sent. */
    private static final int MAX_ECHO = 200;

    private Frames() {
    }

    static TextMessage connected(String sessionId, Agent agent) {
        return text(frame("connected")
                .put("sessionId", sessionId)
                .put("userId", agent.userId())
                .put("empresaId", agent.empresaId()));
    }

    static TextMessage subscribed(String channel) {
        return text(frame("subscribed").put("channel", channel));
    }

    static TextMessage unsubscribed(String channel) {
        return text(frame("unsubscribed").put("channel", channel));
    }

    static TextMessage pong() {
        return text(frame("pong"));
    }

    static TextMessage error(String code, String message) {
        return text(frame("error").put("code", code).put("message", message));
    }

    static TextMessage error(String code, String message, String channel) {
        return text(frame("error").put("code", code).put("message", message).put("channel", echo(channel)));
    }

    static String echo(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }

    private static ObjectNode frame(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    private static TextMessage text(ObjectNode frame) {
        return new TextMessage(Json.MAPPER.writeValueAsString(frame));
    }
}
