package dev.chatcentral.gateway.delivery;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.schemas.serde.Json;

/** The control frames the server sends (docs/protocol.md); event frames are built by {@link EventFrame}. */
public final class Frames {

    public static final String BAD_FRAME = "bad_frame";
    public static final String BAD_CHANNEL = "bad_channel";
    public static final String TOO_MANY_CHANNELS = "too_many_channels";
    public static final String FORBIDDEN = "forbidden";
    public static final String UNAVAILABLE = "unavailable";
    public static final String BAD_COMMAND = "bad_command";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String REFRESH_REFUSED = "refresh_refused";

    /** Echoed text is cut so an error frame stays small whatever the client sent. */
    private static final int MAX_ECHO = 200;

    private Frames() {
    }

    public static OutboundFrame connected(String sessionId, Agent agent, String nodeId) {
        return control(frame("connected")
                .put("sessionId", sessionId)
                .put("userId", agent.userId())
                .put("empresaId", agent.empresaId())
                .put("node", nodeId)
                .put("expiresAt", agent.expiresAt().toString()));
    }

    /**
     * @param recovered null when the subscription asked for no replay; otherwise whether the missed events were
     *                  replayed (false: the position was out of retention, reload over REST)
     */
    static OutboundFrame subscribed(String channel, long position, Boolean recovered, boolean resumable) {
        ObjectNode frame = frame("subscribed").put("channel", channel).put("position", position);
        if (recovered != null) {
            frame.put("recovered", recovered);
        }
        return new OutboundFrame(Json.MAPPER.writeValueAsString(frame), position, null, resumable);
    }

    public static OutboundFrame unsubscribed(String channel) {
        return control(frame("unsubscribed").put("channel", channel));
    }

    public static OutboundFrame pong() {
        return control(frame("pong"));
    }

    public static OutboundFrame refreshed(Instant expiresAt) {
        return control(frame("refreshed").put("expiresAt", expiresAt.toString()));
    }

    public static OutboundFrame error(String code, String message) {
        return control(frame("error").put("code", code).put("message", message));
    }

    public static OutboundFrame error(String code, String message, String channel) {
        return control(frame("error").put("code", code).put("message", message).put("channel", echo(channel)));
    }

    /** The command was written to Kafka; its outcome comes as events. */
    public static OutboundFrame commandAccepted(String commandId) {
        return control(frame("command_accepted").put("commandId", commandId));
    }

    /** @param commandId the client's commandId as sent, or null when it sent none that was a string */
    public static OutboundFrame commandError(String code, String message, String commandId) {
        ObjectNode frame = frame("error").put("code", code).put("message", message);
        if (commandId != null) {
            frame.put("commandId", echo(commandId));
        }
        return control(frame);
    }

    public static OutboundFrame closing(int code, String reason) {
        return control(frame("closing").put("code", code).put("reason", reason));
    }

    public static String echo(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }

    private static ObjectNode frame(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    private static OutboundFrame control(ObjectNode frame) {
        return OutboundFrame.control(Json.MAPPER.writeValueAsString(frame));
    }
}
