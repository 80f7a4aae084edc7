package dev.chatcentral.processor.conversa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.MessageStatusData;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

/** The realtime events browsers receive about conversas and their mensagens (docs/protocol.md). */
public final class ConversaEvents {

    private ConversaEvents() {
    }

    /** A new mensagem: for the whole empresa, the conversa's viewers and its atendente, if it has one. */
    public static RealtimeEvent messageNotification(Conversa conversa, Mensagem mensagem, Instant ts) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("conversa", Json.embed(conversa));
        data.set("mensagem", Json.embed(mensagem));
        return new RealtimeEvent(DeterministicIds.eventId(mensagem.mensagemId(), EventType.MESSAGE_NOTIFICATION),
                conversa.empresaId(), EventType.MESSAGE_NOTIFICATION, channels(conversa), data, ts);
    }

    /**
     * A mensagem's delivery status moved: for the conversa's viewers (the ticks), the empresa and the conversa's
     * atendente. Its id names the mensagem and the status, so a replay of the same receipt gives the same event.
     */
    public static RealtimeEvent messageStatus(Conversa conversa, Mensagem mensagem, MensagemStatus previous,
                                              Instant ts) {
        return messageStatus(conversa, mensagem, previous, ts, mensagem.mensagemId() + "@" + mensagem.status(), null);
    }

    /**
     * A reply's status moved by its dispatch or a resend, which may happen to one mensagem more than once
     * (PENDING, ERROR, PENDING again): {@code causeId} names the send or the command, so each change has its own id.
     *
     * @param error why the delivery failed, added to the data as {@code error}; null when it did not
     */
    public static RealtimeEvent messageStatus(Conversa conversa, Mensagem mensagem, MensagemStatus previous,
                                              Instant ts, String causeId, String error) {
        MessageStatusData status = new MessageStatusData(conversa.conversaId(), mensagem.mensagemId(),
                mensagem.keyId(), mensagem.fromMe(), mensagem.status(), previous);
        ObjectNode data = Json.MAPPER.valueToTree(status);
        if (error != null) {
            data.put("error", error);
        }
        return new RealtimeEvent(DeterministicIds.eventId(causeId, EventType.MESSAGE_STATUS),
                conversa.empresaId(), EventType.MESSAGE_STATUS, channels(conversa), data, ts);
    }

    /** The conversa's new state, for the empresa's conversa lists; {@code causeId} is what changed it. */
    public static RealtimeEvent conversationUpdated(Conversa conversa, String causeId, Instant ts) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("conversa", Json.embed(conversa));
        return new RealtimeEvent(DeterministicIds.eventId(causeId, EventType.CONVERSATION_UPDATED),
                conversa.empresaId(), EventType.CONVERSATION_UPDATED, List.of(Channel.empresa(conversa.empresaId())),
                data, ts);
    }

    /** The empresa, the conversa's viewers, and its atendente when it has one. */
    private static List<String> channels(Conversa conversa) {
        List<String> channels = new ArrayList<>(List.of(
                Channel.empresa(conversa.empresaId()), Channel.conversa(conversa.conversaId())));
        if (conversa.atendenteId() != null) {
            channels.add(Channel.atendente(conversa.atendenteId()));
        }
        return List.copyOf(channels);
    }
}
