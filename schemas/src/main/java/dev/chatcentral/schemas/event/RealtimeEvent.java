package dev.chatcentral.schemas.event;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One change pushed to browsers, as kept in {@code chat.events} (key = empresaId, so one empresa's events keep
 * their order). The gateway delivers it on each of {@code channels} to the subscribers allowed to see it; its
 * position is the record's offset, assigned by Kafka, so it is not part of the value.
 *
 * @param id        unique id of the event, stable across replays of the same input
 * @param empresaId the tenant; a gateway never delivers an event to a client of another empresa
 * @param type      one of {@link EventType}
 * @param channels  the channels (see {@link Channel}) this event is published on
 * @param data      the payload, whose shape depends on {@code type} (docs/protocol.md)
 * @param ts        when the change happened
 */
public record RealtimeEvent(String id, String empresaId, String type, List<String> channels, JsonNode data,
                            Instant ts) {
}
