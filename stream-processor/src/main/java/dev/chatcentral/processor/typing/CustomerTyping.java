package dev.chatcentral.processor.typing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.event.TypingData;
import dev.chatcentral.schemas.serde.Json;

/**
 * The customer typing in WhatsApp ({@code presence.update}) shown in the conversa like an atendente typing:
 * composing or recording starts it, anything else (paused, available, unavailable) stops it. Expiry of a start
 * never followed by a stop is the presence topology's job.
 */
public final class CustomerTyping {

    private CustomerTyping() {
    }

    /** The event for one presence, or empty when WhatsApp reported a value that says nothing about typing. */
    public static Optional<RealtimeEvent> event(Conversa conversa, String jid, String presence, String causeId,
                                                Instant ts) {
        String type = switch (presence) {
            case "composing", "recording" -> EventType.TYPING_START;
            case "paused", "available", "unavailable" -> EventType.TYPING_STOP;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        TypingData data = new TypingData(conversa.conversaId(), TypingData.WHO_CLIENTE, jid, presence);
        return Optional.of(new RealtimeEvent(DeterministicIds.eventId(causeId + ":" + jid, type),
                conversa.empresaId(), type, List.of(Channel.conversa(conversa.conversaId())),
                Json.MAPPER.valueToTree(data), ts));
    }
}
