package dev.chatcentral.gateway.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * One JSON frame on its way to a client.
 *
 * @param json      the frame as sent
 * @param position  the position it carries ({@code event}, {@code subscribed}), or -1
 * @param eventTs   when the event it delivers happened, for the latency histogram; null for control frames
 * @param resumable whether every frame up to {@code position} has been handed to the client with this one, so a
 *                  transport that resumes from one number (SSE's {@code Last-Event-ID}) may record it; false for
 *                  all but the last copy of an event delivered on several channels
 */
public record OutboundFrame(String json, long position, Instant eventTs, boolean resumable) {

    public static OutboundFrame control(String json) {
        return new OutboundFrame(json, -1, null, false);
    }

    /**
     * An ephemeral event (typing): timed like an event, but with no position to record or resume from.
     *
     * @param eventTs never null: it is what tells this frame from a control frame
     */
    static OutboundFrame ephemeral(String json, Instant eventTs) {
        return new OutboundFrame(json, -1, Objects.requireNonNull(eventTs), false);
    }

    /** Whether this frame delivers an event without a position (see {@link #ephemeral}). */
    public boolean isEphemeralEvent() {
        return position < 0 && eventTs != null;
    }
}
