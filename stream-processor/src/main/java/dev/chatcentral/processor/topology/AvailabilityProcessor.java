package dev.chatcentral.processor.topology;

import java.util.List;

import dev.chatcentral.processor.command.InvalidCommandException;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Reads {@code chat.presence}, the presence topology's snapshot of who is online in each empresa and with which
 * status: automatic assignment hands conversas only to atendentes online and {@code disponivel}. Someone coming
 * online or becoming {@code disponivel} may take waiting conversas, so the empresa is drained after each snapshot. A
 * snapshot of another empresa than its key's goes to the DLQ; a tombstone means nobody is online.
 */
final class AvailabilityProcessor extends AtendenteInputProcessor<PresenceSnapshot> {

    AvailabilityProcessor(ConversaTasks tasks) {
        super(tasks, Topics.PRESENCE);
    }

    @Override
    Effects effects(String empresaId, PresenceSnapshot snapshot, long timestamp, long nowMillis,
                    LogContext logContext) {
        if (snapshot != null && !empresaId.equals(snapshot.empresaId())) {
            throw new InvalidCommandException("presence keyed by empresa " + empresaId + " is another empresa's");
        }
        PresenceSnapshot online = snapshot != null ? snapshot
                : new PresenceSnapshot(empresaId, List.of(), 0, 0, null);
        return Effects.builder()
                .write(() -> task.stores().assignment().presenceChanged(empresaId, online, nowMillis))
                .build();
    }
}
