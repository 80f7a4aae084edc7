package dev.chatcentral.schemas.presence;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.chatcentral.schemas.signal.Signal;

/**
 * Who is online in one empresa, as kept in the compacted {@code chat.presence} (key = empresaId, same partition
 * count as {@code chat.events}, so an empresa's snapshot and events share a partition number). A new one is
 * written at every change of the online set or of a status, in the same transaction as the {@code presence_update}
 * event carrying the same {@code version}: a reader that starts from a snapshot applies only the
 * {@code presence_update} events with a greater version.
 *
 * @param online  the online users, ordered by userId
 * @param count   {@code online.size()}
 * @param version grows by one at each change of this empresa's presence
 * @param ts      when the change happened
 */
public record PresenceSnapshot(String empresaId, List<OnlineUser> online, int count, long version, Instant ts) {

    public PresenceSnapshot {
        online = List.copyOf(online);
    }

    /**
     * @param name   display name, or null when the atendente's token had none
     * @param status one of {@link PresenceStatus}
     * @param since  when the user came online (their first open session after being offline)
     * @param roles  their roles as their latest session's opening named them; null when it named none (a snapshot
     *               or signal from before roles were kept)
     */
    public record OnlineUser(String userId, String name, String status, Instant since,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<String> roles) {

        public OnlineUser {
            roles = roles == null ? null : List.copyOf(roles);
        }

        /** A user whose roles are not known. */
        public OnlineUser(String userId, String name, String status, Instant since) {
            this(userId, name, status, since, null);
        }

        /**
         * Whether conversas may be handed to them automatically: an atendente, or someone whose roles are not known
         * (as before roles were kept). A supervisor or admin watching the console takes none.
         */
        public boolean takesConversas() {
            return roles == null || roles.contains(Signal.ATENDENTE_ROLE);
        }
    }
}
