package dev.chatcentral.analytics.topology;

import java.time.Instant;

/** Bounds on what the tap takes from its inputs, so no record can bloat a store or a snapshot. */
final class InputIds {

    /** Far above any id the pipeline makes (UUIDs, WhatsApp ids, user ids). */
    static final int MAX_ID_LENGTH = 256;
    /** Times before this are no conversa's: a zero or a broken clock. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private InputIds() {
    }

    /** An id that is present, not too long and free of control characters (NUL included). */
    static boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A time from this century up to {@code latestMs}, the wall clock plus the skew allowed. */
    static boolean sane(Instant at, long latestMs) {
        return at != null && !at.isBefore(EARLIEST) && !at.isAfter(Instant.ofEpochMilli(latestMs));
    }
}
