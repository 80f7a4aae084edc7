package dev.chatcentral.schemas.conversa;

import java.time.Instant;

/**
 * One mensagem of a conversa, as kept in {@code chat.mensagens} (key = conversaId, so a conversa's mensagens and
 * their status changes stay in order). The same mensagemId appears again when its status moves forward.
 *
 * @param keyId      WhatsApp's message id ({@code key.id}), the link to later receipts
 * @param fromMe     true when the company sent it (an atendente, or the phone itself)
 * @param senderJid  who wrote it: the customer, the group participant, or the company's number
 * @param sentAt     WhatsApp's own timestamp of the message
 */
public record Mensagem(
        String mensagemId,
        String conversaId,
        String empresaId,
        String instance,
        String keyId,
        boolean fromMe,
        String senderJid,
        String senderName,
        String messageType,
        String text,
        MensagemStatus status,
        Instant sentAt,
        Instant receivedAt) {
}
