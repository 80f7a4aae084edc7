package dev.chatcentral.processor.topology;

/** What became of one record of {@code chat.webhooks}. */
public enum WebhookOutcome {
    /** A mensagem was recorded. */
    PROCESSED,
    /** The same WhatsApp message was already processed within the dedupe window. */
    DUPLICATE,
    /** An event chat-central does not act on (yet); accepted and counted, never an error. */
    IGNORED_EVENT,
    /** WhatsApp status (stories), not a conversation. */
    STATUS_BROADCAST,
    /** Could not be processed and went to the DLQ. */
    DEAD_LETTERED
}
