package dev.chatcentral.schemas.conversa;

import java.time.Instant;
import java.util.ArrayList;
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
 * @param revision   counts the changes of this mensagem (0 when it first appears): a reader keeps the highest, as
 *                   the status alone no longer orders them (ERROR, then delivered; an edit; a reaction)
 * @param statusReason why a reply is ERROR or UNCONFIRMED, as a code ({@code unconfirmed}, {@code no_evidence},
 *                   {@code instance_unavailable}, {@code not_on_whatsapp}, ...): null otherwise
 * @param statusDetail the same for people
 * @param retryAt    with {@code instance_unavailable}: when the number's circuit lets a send through again
 * @param originalText the text before its first WhatsApp edit, null when never edited
 * @param editedAt   when it was last edited
 * @param deletedAt  when it was deleted for everyone (its text is kept for the record, not shown)
 * @param reactions  the reactions it has now, one per reacting number
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
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> sanitized,
        long revision,
        @JsonInclude(JsonInclude.Include.NON_NULL) String statusReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String statusDetail,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant retryAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String originalText,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant editedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant deletedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Reaction> reactions) {

    public static final String TEXT = "text";
    public static final String SENDER_NAME = "senderName";
    public static final String SENT_AT = "sentAt";

    public Mensagem {
        sanitized = sanitized == null ? List.of() : List.copyOf(sanitized);
        reactions = reactions == null ? List.of() : List.copyOf(reactions);
    }

    /** A mensagem as it first appears: revision 0, never edited, deleted or reacted to. */
    public Mensagem(String mensagemId, String conversaId, String empresaId, String instance, String keyId,
                    boolean fromMe, String senderJid, String senderName, String messageType, String text,
                    MensagemStatus status, Instant sentAt, Instant receivedAt, List<String> sanitized) {
        this(mensagemId, conversaId, empresaId, instance, keyId, fromMe, senderJid, senderName, messageType, text,
                status, sentAt, receivedAt, sanitized, 0, null, null, null, null, null, null, List.of());
    }

    /**
     * The next revision with another delivery status; {@code reason}, {@code detail} and {@code retryAt} say why
     * when it is ERROR or UNCONFIRMED, and are dropped otherwise.
     */
    public Mensagem withDelivery(MensagemStatus next, String nextKeyId, String reason, String detail,
                                 Instant nextRetryAt) {
        boolean explained = next == MensagemStatus.ERROR || next == MensagemStatus.UNCONFIRMED;
        return new Mensagem(mensagemId, conversaId, empresaId, instance, nextKeyId, fromMe, senderJid, senderName,
                messageType, text, next, sentAt, receivedAt, sanitized, revision + 1,
                explained ? reason : null, explained ? detail : null, explained ? nextRetryAt : null,
                originalText, editedAt, deletedAt, reactions);
    }

    /** The next revision with WhatsApp's edited text; the first text is kept in {@code originalText}. */
    public Mensagem withEdit(String newText, Instant at) {
        return new Mensagem(mensagemId, conversaId, empresaId, instance, keyId, fromMe, senderJid, senderName,
                messageType, newText, status, sentAt, receivedAt, sanitized, revision + 1, statusReason,
                statusDetail, retryAt, originalText != null ? originalText : text, at, deletedAt, reactions);
    }

    /** The next revision, deleted for everyone at {@code at}. */
    public Mensagem withDeleted(Instant at) {
        return new Mensagem(mensagemId, conversaId, empresaId, instance, keyId, fromMe, senderJid, senderName,
                messageType, text, status, sentAt, receivedAt, sanitized, revision + 1, statusReason,
                statusDetail, retryAt, originalText, editedAt, at, reactions);
    }

    /** The next revision with {@code reaction} in place of its reactor's previous one, or without it (null emoji). */
    public Mensagem withReaction(String reactorJid, boolean reactorFromMe, String emoji, Instant at) {
        List<Reaction> next = new ArrayList<>(reactions.size() + 1);
        for (Reaction r : reactions) {
            if (!r.reactorJid().equals(reactorJid)) {
                next.add(r);
            }
        }
        if (emoji != null) {
            next.add(new Reaction(reactorJid, reactorFromMe, emoji, at));
        }
        return new Mensagem(mensagemId, conversaId, empresaId, instance, keyId, fromMe, senderJid, senderName,
                messageType, text, status, sentAt, receivedAt, sanitized, revision + 1, statusReason,
                statusDetail, retryAt, originalText, editedAt, deletedAt, next);
    }

    /** The reaction {@code reactorJid} has on it now, or null. */
    public Reaction reactionOf(String reactorJid) {
        return reactions.stream().filter(r -> r.reactorJid().equals(reactorJid)).findFirst().orElse(null);
    }
}
