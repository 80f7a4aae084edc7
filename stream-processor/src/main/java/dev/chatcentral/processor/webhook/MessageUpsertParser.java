package dev.chatcentral.processor.webhook;

import static dev.chatcentral.processor.webhook.JsonFields.firstText;
import static dev.chatcentral.processor.webhook.JsonFields.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.evolution.EvolutionWebhook;

/**
 * Reads the {@code data} of a {@code messages.upsert} or {@code send.message} webhook (the same message shape),
 * refusing what lacks the fields a mensagem needs.
 */
public final class MessageUpsertParser {

    private static final String LID_SUFFIX = "@lid";
    /** Containers WhatsApp wraps a message in (disappearing, view-once, document with caption); the content is inside. */
    private static final List<String> WRAPPERS = List.of("ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2",
            "viewOnceMessageV2Extension", "documentWithCaptionMessage", "editedMessage");

    private MessageUpsertParser() {
    }

    /**
     * @param defaultStatus the status of a company message whose webhook carries none: {@code PENDING} for what
     *                      sendText returned, null (decided later) for a message seen on the phone
     */
    public static MessageUpsert parse(EvolutionWebhook webhook, String defaultStatus) {
        String instance = webhook.instance();
        if (instance == null || instance.isBlank()) {
            throw new InvalidWebhookException("webhook has no instance");
        }
        JsonNode data = webhook.data();
        if (data == null || !data.isObject()) {
            throw new InvalidWebhookException(webhook.event() + " has no data object");
        }
        JsonNode key = data.path("key");
        if (!key.isObject()) {
            throw new InvalidWebhookException(webhook.event() + " has no data.key");
        }
        String keyId = requiredText(webhook, key, "id", "data.key.id");
        String remoteJid = requiredText(webhook, key, "remoteJid", "data.key.remoteJid");
        JsonNode message = unwrap(data.path("message"));
        String messageType = text(data, "messageType");
        if (messageType == null) {
            messageType = message.isObject() && !message.isEmpty() ? message.propertyNames().iterator().next()
                    : "unknown";
        }
        Boolean fromMe = JsonFields.bool(key, "fromMe", "data.key.fromMe");
        return new MessageUpsert(
                instance,
                keyId,
                // protobuf-style JSON leaves false out
                fromMe != null && fromMe,
                remoteJid,
                firstText(text(key, "remoteJidAlt"), text(data, "remoteJidAlt")),
                participant(key),
                webhook.sender(),
                text(data, "pushName"),
                messageType,
                messageText(message),
                timestamp(data.path("messageTimestamp")),
                firstText(text(data, "status"), defaultStatus));
    }

    /** The group member who wrote: the phone form when both a LID and a phone JID are given. */
    private static String participant(JsonNode key) {
        String participant = text(key, "participant");
        String alt = text(key, "participantAlt");
        if (participant == null || (participant.endsWith(LID_SUFFIX) && alt != null)) {
            return alt;
        }
        return participant;
    }

    private static JsonNode unwrap(JsonNode message) {
        for (int depth = 0; depth < 3 && message.isObject(); depth++) {
            JsonNode inner = null;
            for (String wrapper : WRAPPERS) {
                JsonNode candidate = message.path(wrapper).path("message");
                if (candidate.isObject()) {
                    inner = candidate;
                    break;
                }
            }
            if (inner == null) {
                return message;
            }
            message = inner;
        }
        return message;
    }

    /**
     * Plain text (Evolution 2.2.0+ folds extended text into it), the older unfolded extended text, a reaction's
     * emoji, or the caption of whichever media the message holds.
     */
    private static String messageText(JsonNode message) {
        if (!message.isObject()) {
            return null;
        }
        String text = firstText(text(message, "conversation"), text(message.path("extendedTextMessage"), "text"));
        if (text == null) {
            text = text(message.path("reactionMessage"), "text");
        }
        if (text != null) {
            return text;
        }
        for (Map.Entry<String, JsonNode> part : message.properties()) {
            String caption = text(part.getValue(), "caption");
            if (caption != null) {
                return caption;
            }
        }
        return null;
    }

    /** Epoch seconds as a number, a numeric string, or the {@code {low, high}} of a serialised protobuf Long. */
    private static Instant timestamp(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            if (value.isIntegralNumber()) {
                return Instant.ofEpochSecond(value.longValue());
            }
            if (value.isString()) {
                return Instant.ofEpochSecond(Long.parseLong(value.stringValue().trim()));
            }
            if (value.isObject() && value.path("low").isIntegralNumber()) {
                long high = value.path("high").asLong(0);
                return Instant.ofEpochSecond((high << 32) | (value.path("low").longValue() & 0xFFFFFFFFL));
            }
        } catch (NumberFormatException | DateTimeException e) {
            throw new InvalidWebhookException("data.messageTimestamp is not epoch seconds: " + value, e);
        }
        throw new InvalidWebhookException("data.messageTimestamp is not epoch seconds: " + value);
    }

    private static String requiredText(EvolutionWebhook webhook, JsonNode node, String field, String path) {
        String value = text(node, field);
        if (value == null) {
            throw new InvalidWebhookException(webhook.event() + " has no " + path);
        }
        return value;
    }
}
