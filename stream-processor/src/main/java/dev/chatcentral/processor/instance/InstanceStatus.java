package dev.chatcentral.processor.instance;

import java.time.Instant;
import java.util.List;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.webhook.ParsedWebhook.ConnectionUpdate;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.InstanceStatusData;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

/** A WhatsApp number's connection state ({@code connection.update}), told to the whole empresa. */
public final class InstanceStatus {

    private InstanceStatus() {
    }

    public static RealtimeEvent event(String empresaId, ConnectionUpdate update, String causeId, Instant ts) {
        InstanceStatusData data = new InstanceStatusData(update.instance(), update.state(), update.statusReason(),
                update.wuid(), update.profileName());
        return new RealtimeEvent(DeterministicIds.eventId(causeId, EventType.INSTANCE_STATUS), empresaId,
                EventType.INSTANCE_STATUS, List.of(Channel.empresa(empresaId)), Json.MAPPER.valueToTree(data), ts);
    }
}
