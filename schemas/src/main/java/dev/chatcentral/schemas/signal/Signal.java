package dev.chatcentral.schemas.signal;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

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
 * @param roles     for {@code session_opened}: the user's roles, as their token names them ({@link #ATENDENTE_ROLE},
 *                  supervisor, admin), at most {@link #MAX_ROLES} of at most {@link #MAX_ROLE_LENGTH} characters;
 *                  null on other signals and on openings written before roles were sent, which presence takes for
 *                  an atendente's
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
        Instant ts,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> roles) {

    /** The role of those who take conversas: only they are handed conversas automatically (docs/assignment.md). */
    public static final String ATENDENTE_ROLE = "atendente";
    public static final int MAX_ROLES = 8;
    public static final int MAX_ROLE_LENGTH = 32;

    public static final String SESSION_OPENED = "session_opened";
    public static final String SESSION_CLOSED = "session_closed";
    public static final String TYPING_START = "typing_start";
    public static final String TYPING_STOP = "typing_stop";
    public static final String STATUS_CHANGED = "status_changed";

    public Signal {
        roles = roles == null ? null : List.copyOf(roles);
    }

    /** A signal that names no roles: every one but a session's opening. */
    public Signal(String type, String nodeId, Long bootEpoch, String sessionId, String empresaId, String userId,
                  String name, String conversaId, String status, Instant ts) {
        this(type, nodeId, bootEpoch, sessionId, empresaId, userId, name, conversaId, status, ts, null);
    }
}
