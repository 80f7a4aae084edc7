package dev.chatcentral.gateway.delivery;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

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

    static String json(RealtimeEvent event, String channel, long position) {
        ObjectNode frame = Json.MAPPER.createObjectNode()
                .put("type", event.type())
                .put("channel", channel)
                .put("id", event.id());
        if (event.data() == null) {
            frame.putObject("data");
        } else {
            frame.set("data", event.data());
        }
        frame.put("position", position);
        frame.put("ts", event.ts() == null ? null : event.ts().toString());
        return Json.MAPPER.writeValueAsString(frame);
    }
}
