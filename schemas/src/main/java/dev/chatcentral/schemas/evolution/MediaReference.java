package dev.chatcentral.schemas.evolution;

/**
 * Where the ingest put the media bytes of a webhook that carried them inline ({@code data.message.base64}, sent by
 * Evolution when its webhook has {@code base64: true}). The webhook in {@code chat.webhooks} keeps this reference
 * under {@code data.message.mediaRef} instead of the bytes, so its records stay small.
 *
 * @param topic     always {@code chat.media}
 * @param sizeBytes decoded size of the media
 * @param mimetype  the media's type as Evolution gave it, or null
 */
public record MediaReference(String topic, int partition, long offset, int sizeBytes, String mimetype) {

    /** The field of {@code data.message} that holds this reference. */
    public static final String FIELD = "mediaRef";
}
