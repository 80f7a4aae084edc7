package dev.chatcentral.processor.conversa;

import java.time.Instant;
import java.util.Objects;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;

/** How a conversa changes when a mensagem or a contact name arrives. Pure functions, so every rule is testable without Kafka. */
public final class ConversaRules {

    static final int PREVIEW_LENGTH = 100;

    private ConversaRules() {
    }

    /**
     * The conversa after {@code mensagem}: a new one when {@code current} is null, else {@code current} moved on.
     * Returns {@code current} itself when nothing changed, so callers publish only real changes.
     *
     * @param customerJidAlt the customer's other identifier, if this webhook carried one
     * @param at             when the change happens (the webhook record's time), for createdAt/updatedAt
     */
    public static Conversa onMensagem(Conversa current, ConversaKey key, String customerJidAlt, Mensagem mensagem,
                                      Instant at) {
        boolean fromCustomer = !mensagem.fromMe();
        // a group's name is not in messages.upsert; pushName there is the member who wrote
        String pushName = fromCustomer && !key.isGroup() && mensagem.senderName() != null
                ? mensagem.senderName() : null;
        if (current == null) {
            return new Conversa(key.conversaId(), key.empresaId(), key.instance(), key.customerJid(), customerJidAlt,
                    pushName, ConversaStatus.AGUARDANDO, null, fromCustomer ? 1 : 0,
                    preview(mensagem), mensagem.sentAt(), 1, at, at);
        }
        boolean reopens = fromCustomer && current.status() == ConversaStatus.ENCERRADA;
        // webhooks arrive out of order: an older mensagem arriving late does not replace the preview
        boolean newest = current.lastMensagemAt() == null || !mensagem.sentAt().isBefore(current.lastMensagemAt());
        String contactName = pushName != null ? pushName : current.contactName();
        String jidAlt = customerJidAlt != null ? customerJidAlt : current.remoteJidAlt();
        ConversaStatus status = reopens ? ConversaStatus.AGUARDANDO : current.status();
        // back in the queue: whoever closed it is not assumed to be the one who picks it up again
        String atendenteId = reopens ? null : current.atendenteId();
        int unread = current.unreadCount() + (fromCustomer ? 1 : 0);
        String lastPreview = newest ? preview(mensagem) : current.lastMensagemPreview();
        Instant lastAt = newest ? mensagem.sentAt() : current.lastMensagemAt();
        if (Objects.equals(contactName, current.contactName()) && Objects.equals(jidAlt, current.remoteJidAlt())
                && status == current.status() && Objects.equals(atendenteId, current.atendenteId())
                && unread == current.unreadCount() && Objects.equals(lastPreview, current.lastMensagemPreview())
                && Objects.equals(lastAt, current.lastMensagemAt())) {
            return current;
        }
        return new Conversa(current.conversaId(), current.empresaId(), current.instance(), current.remoteJid(),
                jidAlt, contactName, status, atendenteId, unread, lastPreview, lastAt, current.version() + 1,
                current.createdAt(), at);
    }

    /**
     * The conversa after the customer's name became known ({@code contacts.upsert/update}); {@code current} itself
     * when it already has that name.
     */
    public static Conversa onContactName(Conversa current, String name, Instant at) {
        if (name.equals(current.contactName())) {
            return current;
        }
        return new Conversa(current.conversaId(), current.empresaId(), current.instance(), current.remoteJid(),
                current.remoteJidAlt(), name, current.status(), current.atendenteId(), current.unreadCount(),
                current.lastMensagemPreview(), current.lastMensagemAt(), current.version() + 1, current.createdAt(),
                at);
    }

    /** The text shown in conversa lists: the start of the text, or the kind of media when there is none. */
    static String preview(Mensagem mensagem) {
        String text = mensagem.text();
        if (text == null || text.isBlank()) {
            return "[" + mensagem.messageType() + "]";
        }
        text = text.strip();
        if (text.codePointCount(0, text.length()) <= PREVIEW_LENGTH) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, PREVIEW_LENGTH)) + "…";
    }
}
