package dev.chatcentral.processor.webhook;

import java.util.List;

import dev.chatcentral.schemas.conversa.MensagemStatus;

/** A webhook normalised into the one domain event chat-central acts on, or the reason it does not act. */
public sealed interface ParsedWebhook permits MessageUpsert, ParsedWebhook.Receipt, ParsedWebhook.PresenceUpdate,
        ParsedWebhook.ConnectionUpdate, ParsedWebhook.ContactNames, ParsedWebhook.HistorySync,
        ParsedWebhook.Unhandled {

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
