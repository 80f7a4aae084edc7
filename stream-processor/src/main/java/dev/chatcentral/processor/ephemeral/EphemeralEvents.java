package dev.chatcentral.processor.ephemeral;

import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * Where the topologies hand typing events for the fast lane ({@code chat.ephemeral}): written at once, outside the
 * task's transaction, so gateways show them without waiting for a commit. Best effort: a record that cannot be
 * written is dropped (typing lasts seconds; the clients' own expiry ends a typing indicator whose stop was lost).
 */
@FunctionalInterface
public interface EphemeralEvents {

    /** No fast lane: the topologies' own tests, which read {@code chat.events} alone. */
    EphemeralEvents NONE = (event, timestamp) -> {
    };

    /**
     * Hands one {@code typing_start} or {@code typing_stop} event over; never blocks for the broker's answer.
     *
     * @param timestamp the record's timestamp, the moment the event's cause happened: gateways drop starts older
     *                  than the typing timeout by it
     */
    void publish(RealtimeEvent event, long timestamp);
}
