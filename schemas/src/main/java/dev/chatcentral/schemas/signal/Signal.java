package dev.chatcentral.schemas.signal;

import java.time.Instant;

/**
 * What a gateway node reports about its clients, as kept in {@code chat.signals} (key = empresaId, always equal to
 * the {@code empresaId} field): sessions opening and closing, typing, and user-chosen presence status. The
 * stream-processor's presence topology turns them into {@code presence_update} and {@code typing_*} events
 * (docs/presence.md).
 *
 * @param type      one of {@link #SESSION_OPENED}, {@link #SESSION_CLOSED}, {@link #TYPING_START},
 *                  {@link #TYPING_STOP}, {@link #STATUS_CHANGED}
 * @param nodeId    the gateway node holding the session; required for session signals
 * @param bootEpoch the node's {@link NodeHeartbeat#bootEpoch()} when the session opened; required for
 *                  {@code session_opened}, ignored otherwise: a heartbeat with a later epoch means the node
 *                  restarted and the session is gone
 * @param sessionId the client session (one per tab or device); required for session signals
 * @param userId    the atendente (the token's {@code sub}); always required
 * @param name      the atendente's display name (the token's {@code name}), shown in the online list and
 *                  typing indicators; may be null
 * @param conversaId the conversa typed in; required for typing signals
 * @param status    for {@code status_changed}: one of {@link dev.chatcentral.schemas.presence.PresenceStatus}
 * @param ts        when the gateway saw it; always required
 */
public record Signal(
        String type,
        String nodeId,
        Long bootEpoch,
        String sessionId,
        String empresaId,
        String userId,
        String name,
        String conversaId,
        String status,
        Instant ts) {

    public static final String SESSION_OPENED = "session_opened";
    public static final String SESSION_CLOSED = "session_closed";
    public static final String TYPING_START = "typing_start";
    public static final String TYPING_STOP = "typing_stop";
    public static final String STATUS_CHANGED = "status_changed";
}
