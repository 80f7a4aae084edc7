package dev.chatcentral.processor.topology;

/**
 * What became of one webhook: each record of {@code chat.webhooks} and {@code chat.webhooks.retry} gets one, and so
 * does each parked record processed while another one is (a receipt applied once its mensagem arrived).
 */
public enum WebhookOutcome {
    /** Its change was made and published. */
    PROCESSED,
    /** The same WhatsApp message or receipt was already processed within the dedupe window. */
    DUPLICATE,
    /** An event chat-central does not act on; accepted and counted, never an error. */
    IGNORED_EVENT,
    /** WhatsApp status (stories), not a conversation. */
    STATUS_BROADCAST,
    /** A history sync ({@code messages.set}): opens no conversas. */
    HISTORY_SKIPPED,
    /** About a conversa that does not exist (typing or a name of a customer who never wrote); opens none. */
    NO_CONVERSA,
    /** A receipt that would not move its mensagem's status forward. */
    STALE_STATUS,
    /** Parked: it cannot be processed yet, or waits behind a parked record of its conversa. */
    PARKED,
    /** A retry that failed again and was parked for a later one. */
    RETRY_PARKED,
    /** A retry of a record already processed meanwhile (its mensagem arrived first). */
    STALE_RETRY,
    /** Could not be processed and went to the DLQ. */
    DEAD_LETTERED,
    /** Could not be processed and was dropped because the DLQ is disabled. */
    DISCARDED
}
