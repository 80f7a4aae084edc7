package dev.chatcentral.processor.webhook;

import java.time.Instant;
import java.util.List;

/**
 * The parts of a {@code messages.upsert} or {@code send.message} webhook chat-central uses, checked and normalised
 * (reference/evolution-api.md).
 *
 * @param remoteJid      the chat the message belongs to: the customer's JID, a LID, or a group JID
 * @param remoteJidAlt   the other identifier of the customer (phone JID or LID), when the webhook carries both
 * @param participant    the group member who wrote it (the phone form when the webhook carries one)
 * @param ownJid         the company's own number, from the envelope's {@code sender}
 * @param text           the text, or the media caption; null for media without caption
 * @param sentAt         WhatsApp's timestamp, or null when the webhook carries none or an unreadable one
 * @param reportedStatus {@code data.status} as Evolution sent it, not yet validated
 * @param sanitized      the mensagem fields ({@code Mensagem.TEXT}, ...) changed while reading them
 */
public record MessageUpsert(
        String instance,
        String keyId,
        boolean fromMe,
        String remoteJid,
        String remoteJidAlt,
        String participant,
        String ownJid,
        String pushName,
        String messageType,
        String text,
        Instant sentAt,
        String reportedStatus,
        List<String> sanitized) implements ParsedWebhook {

    private static final String STATUS_BROADCAST = "status@broadcast";
    private static final String GROUP_SUFFIX = "@g.us";
    private static final String PHONE_SUFFIX = "@s.whatsapp.net";

    /** WhatsApp status (stories) is posted to this pseudo-chat; it is not a conversation. */
    public boolean isStatusBroadcast() {
        return STATUS_BROADCAST.equals(remoteJid);
    }

    public boolean isGroup() {
        return remoteJid.endsWith(GROUP_SUFFIX);
    }

    /** The customer's phone JID when the webhook carries one in either field, else {@code remoteJid}. */
    public String customerAddress() {
        if (!remoteJid.endsWith(PHONE_SUFFIX) && remoteJidAlt != null && remoteJidAlt.endsWith(PHONE_SUFFIX)) {
            return remoteJidAlt;
        }
        return remoteJid;
    }
}
