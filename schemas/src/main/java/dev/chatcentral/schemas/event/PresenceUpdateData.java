package dev.chatcentral.schemas.event;

import java.time.Instant;

/**
 * {@code data} of a {@code presence_update} event on {@code presence:{empresaId}}: a user came online, went
 * offline, or changed status. Emitted on edges only: a second tab, or a reconnect within the grace period, emits
 * nothing.
 *
 * @param status   one of {@link dev.chatcentral.schemas.presence.PresenceStatus} (the last one chosen, also when
 *                 going offline)
 * @param sessions the user's open sessions after the change (0 when offline)
 * @param since    when the user came online; null when offline
 * @param version  the empresa's presence version after this change, as in its
 *                 {@link dev.chatcentral.schemas.presence.PresenceSnapshot}
 * @param ts       when the change happened
 */
public record PresenceUpdateData(String userId, String name, boolean online, String status, int sessions,
                                 Instant since, long version, Instant ts) {
}
