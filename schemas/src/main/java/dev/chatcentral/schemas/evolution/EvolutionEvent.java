package dev.chatcentral.schemas.evolution;

/** Event names as Evolution API writes them in the {@code event} field of a webhook. */
public final class EvolutionEvent {

    public static final String MESSAGES_UPSERT = "messages.upsert";
    public static final String MESSAGES_UPDATE = "messages.update";
    public static final String MESSAGES_SET = "messages.set";
    public static final String SEND_MESSAGE = "send.message";
    /** The sender edited a message, or revoked it: {@code data} is WhatsApp's protocolMessage. */
    public static final String MESSAGES_EDITED = "messages.edited";
    /** A message deleted for everyone: {@code data} is its key. */
    public static final String MESSAGES_DELETE = "messages.delete";
    public static final String PRESENCE_UPDATE = "presence.update";
    public static final String CONNECTION_UPDATE = "connection.update";
    public static final String CONTACTS_UPSERT = "contacts.upsert";
    public static final String CONTACTS_UPDATE = "contacts.update";
    /** Evolution 2.4.0's name for the history sync that older versions send as {@link #MESSAGES_SET}. */
    public static final String MESSAGING_HISTORY_SET = "messaging-history.set";

    private EvolutionEvent() {
    }

    /**
     * The event name carried by the by-events URL suffix: Evolution turns {@code messages.upsert} into
     * {@code /messages-upsert}; dots and dashes are not distinguishable, so suffixes are compared in that form.
     */
    public static String urlSuffix(String event) {
        return event.replace('.', '-').toLowerCase(java.util.Locale.ROOT);
    }
}
