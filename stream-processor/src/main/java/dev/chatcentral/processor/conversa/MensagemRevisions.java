package dev.chatcentral.processor.conversa;

import java.time.Instant;
import java.util.Objects;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * What an edit, a deletion for everyone or a reaction does to the mensagem it targets, whether it came from WhatsApp
 * (a webhook) or from an atendente (the dispatcher's result). Each is idempotent, so the same change arriving by both
 * ways, or twice, is one revision; a change older than the one the mensagem already shows is stale.
 */
public final class MensagemRevisions {

    private final MensagemIndex mensagens;

    public MensagemRevisions(MensagemIndex mensagens) {
        this.mensagens = mensagens;
    }

    /** @param editedAt when the sender edited it; an edit older than the last one applied changes nothing */
    public Effects edit(MensagemIndex.Entry entry, Conversa conversa, String text, Instant editedAt, long nowMillis) {
        Mensagem current = entry.mensagem();
        if (current.deletedAt() != null || Objects.equals(current.text(), text)
                || (current.editedAt() != null && editedAt.isBefore(current.editedAt()))) {
            return Effects.NONE;
        }
        Mensagem edited = current.withEdit(text, editedAt);
        return revised(entry, edited, ConversaEvents.messageEdited(conversa, edited, editedAt), nowMillis);
    }

    public Effects delete(MensagemIndex.Entry entry, Conversa conversa, Instant deletedAt, long nowMillis) {
        Mensagem current = entry.mensagem();
        if (current.deletedAt() != null) {
            return Effects.NONE;
        }
        Mensagem deleted = current.withDeleted(deletedAt);
        return revised(entry, deleted, ConversaEvents.messageDeleted(conversa, deleted, deletedAt), nowMillis);
    }

    /**
     * @param emoji     the reaction, or null to remove the reactor's
     * @param reactedAt when WhatsApp's reactor reacted; older than the reaction it already has, it changes nothing
     */
    public Effects react(MensagemIndex.Entry entry, Conversa conversa, String reactorJid, boolean reactorFromMe,
                         String emoji, Instant reactedAt, long nowMillis) {
        Mensagem current = entry.mensagem();
        Reaction existing = current.reactionOf(reactorJid);
        if (existing == null ? emoji == null
                : existing.emoji().equals(emoji) || reactedAt.isBefore(existing.reactedAt())) {
            return Effects.NONE;
        }
        Mensagem reacted = current.withReaction(reactorJid, reactorFromMe, emoji, reactedAt);
        return revised(entry, reacted, ConversaEvents.messageReaction(conversa, reacted, reactorJid, reactorFromMe,
                emoji, reactedAt), nowMillis);
    }

    private Effects revised(MensagemIndex.Entry entry, Mensagem next,
                            RealtimeEvent event, long nowMillis) {
        return Effects.builder()
                .mensagem(next)
                .event(event)
                .write(() -> mensagens.put(next, entry.conversaKey(), nowMillis))
                .build();
    }
}
