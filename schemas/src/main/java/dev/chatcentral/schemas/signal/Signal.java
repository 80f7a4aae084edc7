package dev.chatcentral.schemas.signal;

import java.time.Instant;

/**
 * What a gateway node reports about its clients, as kept in {@code chat.signals} (key = empresaId): sessions
 * opening and closing, typing, and user-chosen presence status.
 *
 * @param type {@code session_opened}, {@code session_closed}, {@code typing_start}, {@code typing_stop} or
 *             {@code status_changed}
 */
public record Signal(
        String type,
        String nodeId,
        String sessionId,
        String empresaId,
        String userId,
        String conversaId,
        String status,
        Instant ts) {
}
