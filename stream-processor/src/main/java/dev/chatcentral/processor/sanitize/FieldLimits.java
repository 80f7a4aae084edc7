package dev.chatcentral.processor.sanitize;

/**
 * How much of each text taken from a webhook or a command chat-central keeps, in Unicode code points. Chosen so that
 * no record derived from one input can exceed its topic's {@code max.message.bytes}: the largest, a
 * {@code message_notification} embedding a conversa and a mensagem, stays under 450 KB of JSON even when every
 * character has to be escaped (six bytes each), against a 1 MiB limit.
 */
public final class FieldLimits {

    /** WhatsApp's own limit on a text message. */
    public static final int TEXT = 65_536;
    /** A media caption: WhatsApp takes 1,024; some clients send more. */
    public static final int CAPTION = 4_096;
    /** A push name, contact name, profile or atendente name: WhatsApp's push names are at most 25. */
    public static final int NAME = 256;
    /** The quoted text sent with a reply, which WhatsApp shows above it as a short excerpt. */
    public static final int QUOTED_TEXT = 1_024;
    /** JIDs, message ids, message types, states: ids are refused, never cut, since a cut id names something else. */
    public static final int IDENTIFIER = 256;

    private FieldLimits() {
    }
}
