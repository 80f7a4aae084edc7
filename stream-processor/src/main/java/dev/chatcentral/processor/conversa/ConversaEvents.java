package dev.chatcentral.processor.conversa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

/** The realtime events browsers receive about conversas and their mensagens (docs/protocol.md). */
public final class ConversaEvents {

    private ConversaEvents() {
    }

    /** A new mensagem: for the whole empresa, the conversa's viewers and its atendente, if it has one. */
    public static RealtimeEvent messageNotification(Conversa conversa, Mensagem mensagem, Instant ts) {
        List<String> channels = new ArrayList<>(List.of(
                Channel.empresa(conversa.empresaId()), Channel.conversa(conversa.conversaId())));
        if (conversa.atendenteId() != null) {
            channels.add(Channel.atendente(conversa.atendenteId()));
        }
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("conversa", Json.MAPPER.valueToTree(conversa));
        data.set("mensagem", Json.MAPPER.valueToTree(mensagem));
        return new RealtimeEvent(DeterministicIds.eventId(mensagem.mensagemId(), EventType.MESSAGE_NOTIFICATION),
                conversa.empresaId(), EventType.MESSAGE_NOTIFICATION, List.copyOf(channels), data, ts);
    }

    /** The conversa's new state, for the empresa's conversa lists; {@code causeId} is what changed it. */
    public static RealtimeEvent conversationUpdated(Conversa conversa, String causeId, Instant ts) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("conversa", Json.MAPPER.valueToTree(conversa));
        return new RealtimeEvent(DeterministicIds.eventId(causeId, EventType.CONVERSATION_UPDATED),
                conversa.empresaId(), EventType.CONVERSATION_UPDATED, List.of(Channel.empresa(conversa.empresaId())),
                data, ts);
    }
}
