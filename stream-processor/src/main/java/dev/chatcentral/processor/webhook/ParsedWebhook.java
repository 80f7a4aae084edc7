package dev.chatcentral.processor.webhook;

import java.time.Instant;
import java.util.List;

import dev.chatcentral.schemas.conversa.MensagemStatus;

/** A webhook normalised into the one domain event chat-central acts on, or the reason it does not act. */
public sealed interface ParsedWebhook permits MessageUpsert, ParsedWebhook.Receipt, ParsedWebhook.PresenceUpdate,
        ParsedWebhook.ConnectionUpdate, ParsedWebhook.ContactNames, ParsedWebhook.HistorySync,
        ParsedWebhook.Unhandled, ParsedWebhook.MensagemChange {

    /** The Evolution instance (WhatsApp number) the event is about. */
    String instance();

    /**
     * A receipt ({@code messages.update}): the mensagem with WhatsApp id {@code keyId} reached {@code status}.
     *
     * @param fromMe null when the receipt does not say which side sent the mensagem
     */
    record Receipt(String instance, String keyId, Boolean fromMe, String remoteJid, MensagemStatus status)
            implements ParsedWebhook {
    }

    /**
     * The WhatsApp key of the message a receipt, an edit, a deletion or a reaction is about.
     *
     * @param fromMe null when the webhook does not say which side sent it
     */
    record TargetKey(String keyId, Boolean fromMe, String remoteJid) {
    }

    /**
     * A change to a mensagem that already exists (or will: it may overtake it, like a receipt): an edit, a deletion
     * for everyone, a reaction.
     */
    sealed interface MensagemChange extends ParsedWebhook permits Edit, Revoke, ReactionChange {

        TargetKey target();

        /** What tells one change of this target from another, for dropping a redelivered webhook. */
        String changeId();
    }

    /**
     * The sender edited the target ({@code messages.edited}, or a {@code protocolMessage} of type MESSAGE_EDIT).
     *
     * @param editedAt when WhatsApp says it was edited, or null
     */
    record Edit(String instance, TargetKey target, String text, Instant editedAt) implements MensagemChange {

        @Override
        public String changeId() {
            return "edit:" + (editedAt != null ? editedAt.toEpochMilli() : Integer.toHexString(text.hashCode()));
        }
    }

    /** The target was deleted for everyone ({@code messages.delete}, a REVOKE, a DELETED status). */
    record Revoke(String instance, TargetKey target) implements MensagemChange {

        @Override
        public String changeId() {
            return "revoke";
        }
    }

    /**
     * A reaction to the target ({@code reactionMessage}).
     *
     * @param keyId      the reaction message's own id
     * @param reactorJid who reacted, {@code Reaction.COMPANY} for the empresa's own number
     * @param emoji      the reaction, null when it was taken back
     * @param reactedAt  when, or null when the webhook does not say
     */
    record ReactionChange(String instance, TargetKey target, String keyId, String reactorJid, boolean reactorFromMe,
                          String emoji, Instant reactedAt) implements MensagemChange {

        @Override
        public String changeId() {
            return "reaction:" + keyId;
        }
    }

    /** The people in chat {@code chatJid} whose presence changed ({@code presence.update}). */
    record PresenceUpdate(String instance, String chatJid, List<Presence> presences) implements ParsedWebhook {
    }

    /** @param presence {@code available}, {@code unavailable}, {@code composing}, {@code recording} or {@code paused} */
    record Presence(String jid, String presence) {
    }

    /** The WhatsApp number's connection state ({@code connection.update}). */
    record ConnectionUpdate(String instance, String state, Integer statusReason, String wuid, String profileName)
            implements ParsedWebhook {
    }

    /** Names of contacts ({@code contacts.upsert} / {@code contacts.update}); entries without a name are left out. */
    record ContactNames(String instance, List<ContactName> contacts) implements ParsedWebhook {
    }

    record ContactName(String jid, String name) {
    }

    /** A history sync ({@code messages.set}): old mensagens the company already handled elsewhere. */
    record HistorySync(String instance, String event) implements ParsedWebhook {
    }

    /** An event chat-central does not act on. */
    record Unhandled(String instance, String event) implements ParsedWebhook {
    }
}
