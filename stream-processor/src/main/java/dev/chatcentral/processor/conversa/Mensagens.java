package dev.chatcentral.processor.conversa;

import java.time.Instant;
import java.util.Arrays;

import dev.chatcentral.processor.webhook.MessageUpsert;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;

/** Turns a parsed {@code messages.upsert} into the mensagem chat-central keeps. */
public final class Mensagens {

    private Mensagens() {
    }

    /** @param receivedAt when the webhook reached chat-central; also stands in for a missing WhatsApp timestamp */
    public static Mensagem fromUpsert(String empresaId, MessageUpsert upsert, String conversaId, Instant receivedAt) {
        return new Mensagem(
                DeterministicIds.mensagemId(empresaId, upsert.instance(), upsert.keyId(), upsert.fromMe()),
                conversaId,
                empresaId,
                upsert.instance(),
                upsert.keyId(),
                upsert.fromMe(),
                sender(upsert),
                upsert.pushName(),
                upsert.messageType(),
                upsert.text(),
                status(upsert),
                upsert.sentAt() != null ? upsert.sentAt() : receivedAt,
                receivedAt);
    }

    /**
     * The mensagem after a receipt, or null when the receipt would not move its status forward (an older receipt
     * arriving late, or anything after ERROR).
     */
    public static Mensagem withStatus(Mensagem mensagem, MensagemStatus next) {
        if (!mensagem.status().canMoveTo(next)) {
            return null;
        }
        return new Mensagem(mensagem.mensagemId(), mensagem.conversaId(), mensagem.empresaId(), mensagem.instance(),
                mensagem.keyId(), mensagem.fromMe(), mensagem.senderJid(), mensagem.senderName(),
                mensagem.messageType(), mensagem.text(), next, mensagem.sentAt(), mensagem.receivedAt());
    }

    private static String sender(MessageUpsert upsert) {
        if (upsert.fromMe()) {
            return upsert.ownJid();
        }
        return upsert.isGroup() ? upsert.participant() : upsert.customerAddress();
    }

    /**
     * A customer's message reached us, so it is delivered; a company message carries its own status (sendText's
     * answer says PENDING), and one typed on the phone was at least accepted by WhatsApp's server when Evolution
     * saw it.
     */
    private static MensagemStatus status(MessageUpsert upsert) {
        if (!upsert.fromMe()) {
            return MensagemStatus.DELIVERY_ACK;
        }
        return Arrays.stream(MensagemStatus.values())
                .filter(s -> s.name().equals(upsert.reportedStatus()))
                .findFirst()
                .orElse(MensagemStatus.SERVER_ACK);
    }
}
