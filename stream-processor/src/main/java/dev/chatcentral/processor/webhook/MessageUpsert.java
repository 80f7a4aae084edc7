package dev.chatcentral.processor.webhook;

import java.time.Instant;

/**
 * The parts of a {@code messages.upsert} webhook chat-central uses, checked and normalised
 * (reference/evolution-api.md).
 *
 * @param remoteJid      the chat the message belongs to: the customer's JID, a LID, or a group JID
 * @param remoteJidAlt   the other identifier of the customer when WhatsApp hides the phone behind a LID
 * @param participant    the group member who wrote it ({@code key.participant}, else {@code key.participantAlt})
 * @param ownJid         the company's own number, from the envelope's {@code sender}
 * @param text           the text, or the media caption; null for media without caption
 * @param sentAt         WhatsApp's timestamp, or null when the webhook carries none
 * @param reportedStatus {@code data.status} as Evolution sent it, not yet validated
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
        String reportedStatus) {

    private static final String STATUS_BROADCAST = "status@broadcast";
    private static final String GROUP_SUFFIX = "@g.us";
    private static final String LID_SUFFIX = "@lid";
    private static final String PHONE_SUFFIX = "@s.whatsapp.net";

    /** WhatsApp status (stories) is posted to this pseudo-chat; it is not a conversation. */
    public boolean isStatusBroadcast() {
        return STATUS_BROADCAST.equals(remoteJid);
    }

    public boolean isGroup() {
        return remoteJid.endsWith(GROUP_SUFFIX);
    }

    /**
     * The identifier a conversa is keyed by: the phone JID whichever field carries it, so the LID-first form
     * (Evolution 2.3.5-2.3.6) and the phone-first form (2.4.0) of one customer land in one conversa.
     */
    public String customerJid() {
        return phoneHiddenBehindLid() ? remoteJidAlt : remoteJid;
    }

    /** The customer's other identifier, kept beside {@link #customerJid()}. */
    public String customerJidAlt() {
        return phoneHiddenBehindLid() ? remoteJid : remoteJidAlt;
    }

    private boolean phoneHiddenBehindLid() {
        return remoteJid.endsWith(LID_SUFFIX) && remoteJidAlt != null && remoteJidAlt.endsWith(PHONE_SUFFIX);
    }
}
