package dev.chatcentral.ingest.webhook;

import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.evolution.EvolutionWebhook;

/**
 * Media that Evolution sent inside the webhook ({@code data.message.base64}, with its webhook setting
 * {@code base64: true}): megabytes that must not travel through {@code chat.webhooks}. The bytes are split off
 * here; the publisher writes them to {@code chat.media} and leaves a reference in their place.
 *
 * @param webhook  the webhook without the base64 field
 * @param bytes    the decoded media, or null when the webhook carried none
 * @param mimetype the media's type as the message states it, or null
 */
public record InlineMedia(EvolutionWebhook webhook, byte[] bytes, String mimetype) {

    /** Thrown when {@code base64} is present but not valid base64: the webhook can never be processed. */
    public static class InvalidMediaException extends Exception {
        InvalidMediaException(String message) {
            super(message);
        }
    }

    public static InlineMedia detach(EvolutionWebhook webhook) throws InvalidMediaException {
        JsonNode message = webhook.data() == null ? null : webhook.data().get("message");
        if (message == null || !message.isObject() || !message.has("base64")) {
            return new InlineMedia(webhook, null, null);
        }
        JsonNode encoded = message.get("base64");
        if (!encoded.isString()) {
            throw new InvalidMediaException("data.message.base64 must be a string");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(encoded.asString());
        } catch (IllegalArgumentException e) {
            throw new InvalidMediaException("data.message.base64 is not valid base64: " + e.getMessage());
        }
        ObjectNode data = (ObjectNode) webhook.data().deepCopy();
        ObjectNode strippedMessage = (ObjectNode) data.get("message");
        strippedMessage.remove("base64");
        EvolutionWebhook stripped = new EvolutionWebhook(webhook.event(), webhook.instance(), data,
                webhook.destination(), webhook.dateTime(), webhook.sender(), webhook.serverUrl(), webhook.apikey());
        return new InlineMedia(stripped, bytes, mimetypeOf(strippedMessage));
    }

    public boolean hasMedia() {
        return bytes != null;
    }

    /** Evolution puts the media's description in one child of message, e.g. {@code imageMessage.mimetype}. */
    private static String mimetypeOf(ObjectNode message) {
        for (Iterator<Map.Entry<String, JsonNode>> it = message.properties().iterator(); it.hasNext(); ) {
            JsonNode child = it.next().getValue();
            if (child.isObject() && child.path("mimetype").isString()) {
                return child.path("mimetype").asString();
            }
        }
        return null;
    }
}
