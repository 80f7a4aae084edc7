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
import dev.chatcentral.schemas.event.MessageDeletedData;
import dev.chatcentral.schemas.event.MessageEditedData;
import dev.chatcentral.schemas.event.MessageReactionData;
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
        return messageStatus(conversa, mensagem, previous, ts, mensagem.mensagemId() + "@" + mensagem.status());
    }

    /**
     * A reply's status moved by its dispatch, a resend or the evidence of its delivery, which may happen to one
     * mensagem more than once (PENDING, ERROR, PENDING again): {@code causeId} names what moved it, so each change has
     * its own id. Why it is ERROR or UNCONFIRMED, and when to try again, come from the mensagem.
     */
    public static RealtimeEvent messageStatus(Conversa conversa, Mensagem mensagem, MensagemStatus previous,
                                              Instant ts, String causeId) {
        MessageStatusData status = new MessageStatusData(conversa.conversaId(), mensagem.mensagemId(),
                mensagem.keyId(), mensagem.fromMe(), mensagem.status(), previous, mensagem.statusReason(),
                mensagem.statusDetail(), mensagem.retryAt());
        return new RealtimeEvent(DeterministicIds.eventId(causeId, EventType.MESSAGE_STATUS),
                conversa.empresaId(), EventType.MESSAGE_STATUS, channels(conversa), Json.MAPPER.valueToTree(status),
                ts);
    }

    /** WhatsApp's sender edited the mensagem: for the same channels as the mensagem itself. */
    public static RealtimeEvent messageEdited(Conversa conversa, Mensagem edited, Instant ts) {
        MessageEditedData data = new MessageEditedData(conversa.conversaId(), edited.mensagemId(), edited.keyId(),
                edited.fromMe(), edited.text(), edited.originalText(), edited.editedAt());
        return revisionEvent(conversa, edited, EventType.MESSAGE_EDITED, data, ts);
    }

    /** The mensagem was deleted for everyone. */
    public static RealtimeEvent messageDeleted(Conversa conversa, Mensagem deleted, Instant ts) {
        MessageDeletedData data = new MessageDeletedData(conversa.conversaId(), deleted.mensagemId(),
                deleted.keyId(), deleted.fromMe(), deleted.deletedAt());
        return revisionEvent(conversa, deleted, EventType.MESSAGE_DELETED, data, ts);
    }

    /** One number's reaction to the mensagem was set, replaced or removed ({@code emoji} null). */
    public static RealtimeEvent messageReaction(Conversa conversa, Mensagem reacted, String reactorJid,
                                                boolean reactorFromMe, String emoji, Instant ts) {
        MessageReactionData data = new MessageReactionData(conversa.conversaId(), reacted.mensagemId(),
                reacted.keyId(), reactorJid, reactorFromMe, emoji, reacted.reactions());
        return revisionEvent(conversa, reacted, EventType.MESSAGE_REACTION, data, ts);
    }

    /** Its id names the mensagem's revision: a replay of the change gives the same event. */
    private static RealtimeEvent revisionEvent(Conversa conversa, Mensagem mensagem, String type, Object data,
                                               Instant ts) {
        return new RealtimeEvent(DeterministicIds.eventId(mensagem.mensagemId() + "@" + mensagem.revision(), type),
                conversa.empresaId(), type, channels(conversa), Json.MAPPER.valueToTree(data), ts);
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
