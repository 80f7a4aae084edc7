package dev.chatcentral.gateway.delivery;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

/** The frame an event is delivered in (docs/protocol.md): one per event and channel, shared by all its subscribers. */
final class EventFrame {

    private EventFrame() {
    }

    /** The channels an event is published on, each once, in order: one frame each. */
    static List<String> channels(RealtimeEvent event) {
        return event.channels().stream().filter(c -> c != null).distinct().toList();
    }

    /**
     * Whether the event is shown without a position, live and never replayed: typing, which travels the fast lane
     * ({@code chat.ephemeral}), and service figures, which come from {@code chat.service.metrics}. A copy in
     * {@code chat.events} (typing's durable record) is passed over, live and in replays, so a client gets it once.
     */
    static boolean isEphemeral(RealtimeEvent event) {
        return isTyping(event) || EventType.SERVICE_METRICS.equals(event.type());
    }

    /** Typing: the only events the fast lane carries. */
    static boolean isTyping(RealtimeEvent event) {
        return EventType.TYPING_START.equals(event.type()) || EventType.TYPING_STOP.equals(event.type());
    }

    static String json(RealtimeEvent event, String channel, long position) {
        return Json.MAPPER.writeValueAsString(frame(event, channel).put("position", position)
                .put("ts", event.ts() == null ? null : event.ts().toString()));
    }

    /** An ephemeral event's frame: {@code "ephemeral": true} and no position, since nothing resumes from it. */
    static String ephemeralJson(RealtimeEvent event, String channel) {
        return Json.MAPPER.writeValueAsString(frame(event, channel).put("ephemeral", true)
                .put("ts", event.ts() == null ? null : event.ts().toString()));
    }

    private static ObjectNode frame(RealtimeEvent event, String channel) {
        ObjectNode frame = Json.MAPPER.createObjectNode()
                .put("type", event.type())
                .put("channel", channel)
                .put("id", event.id());
        if (event.data() == null) {
            frame.putObject("data");
        } else {
            frame.set("data", event.data());
        }
        return frame;
    }
}
