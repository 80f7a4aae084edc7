package dev.chatcentral.schemas.conversa;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One mensagem of a conversa, as kept in {@code chat.mensagens} (key = conversaId, so a conversa's mensagens and
 * their status changes stay in order). The same mensagemId appears again when its status moves forward.
 *
 * @param keyId      WhatsApp's message id ({@code key.id}), the link to later receipts
 * @param fromMe     true when the company sent it (an atendente, or the phone itself)
 * @param senderJid  who wrote it: the customer, the group participant, or the company's number
 * @param sentAt     WhatsApp's own timestamp of the message
 * @param sanitized  the fields chat-central changed on the way in, absent when none was: {@code text} and
 *                   {@code senderName} cut at their limit (ending with "…") or cleaned of characters no database
 *                   keeps, {@code sentAt} replaced by the time received because WhatsApp's was missing a sane value
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
        Instant receivedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> sanitized) {

    public static final String TEXT = "text";
    public static final String SENDER_NAME = "senderName";
    public static final String SENT_AT = "sentAt";

    public Mensagem {
        sanitized = sanitized == null ? List.of() : List.copyOf(sanitized);
    }
}
