package dev.chatcentral.processor.webhook;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.evolution.EvolutionWebhook;

/** Reads the {@code data} of a {@code messages.upsert} webhook, refusing what lacks the fields a mensagem needs. */
public final class MessageUpsertParser {

    private MessageUpsertParser() {
    }

    public static MessageUpsert parse(EvolutionWebhook webhook) {
        String instance = webhook.instance();
        if (instance == null || instance.isBlank()) {
            throw new InvalidWebhookException("webhook has no instance");
        }
        JsonNode data = webhook.data();
        if (data == null || !data.isObject()) {
            throw new InvalidWebhookException("messages.upsert has no data object");
        }
        JsonNode key = data.path("key");
        if (!key.isObject()) {
            throw new InvalidWebhookException("messages.upsert has no data.key");
        }
        String keyId = requiredText(key, "id", "data.key.id");
        String remoteJid = requiredText(key, "remoteJid", "data.key.remoteJid");
        JsonNode message = data.path("message");
        String messageType = text(data, "messageType");
        if (messageType == null) {
            messageType = message.isObject() && !message.isEmpty() ? message.propertyNames().iterator().next()
                    : "unknown";
        }
        String participant = text(key, "participant");
        return new MessageUpsert(
                instance,
                keyId,
                fromMe(key),
                remoteJid,
                firstText(text(key, "remoteJidAlt"), text(data, "remoteJidAlt")),
                participant != null ? participant : text(key, "participantAlt"),
                webhook.sender(),
                text(data, "pushName"),
                messageType,
                messageText(message),
                timestamp(data.path("messageTimestamp")),
                text(data, "status"));
    }

    private static boolean fromMe(JsonNode key) {
        JsonNode fromMe = key.path("fromMe");
        if (fromMe.isMissingNode() || fromMe.isNull()) {
            // protobuf-style JSON leaves false out
            return false;
        }
        if (fromMe.isBoolean()) {
            return fromMe.booleanValue();
        }
        if (fromMe.isString() && ("true".equals(fromMe.stringValue()) || "false".equals(fromMe.stringValue()))) {
            return Boolean.parseBoolean(fromMe.stringValue());
        }
        throw new InvalidWebhookException("data.key.fromMe is not a boolean: " + fromMe);
    }

    /** Plain text, the pre-2.2.0 extended text, or the caption of whichever media the message holds. */
    private static String messageText(JsonNode message) {
        if (!message.isObject()) {
            return null;
        }
        String text = firstText(text(message, "conversation"), text(message.path("extendedTextMessage"), "text"));
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

    private static String requiredText(JsonNode node, String field, String path) {
        String value = text(node, field);
        if (value == null) {
            throw new InvalidWebhookException("messages.upsert has no " + path);
        }
        return value;
    }

    /** The field's text, or null when it is absent, not a string, or blank. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.stringValue().isBlank() ? value.stringValue() : null;
    }

    private static String firstText(String first, String second) {
        return first != null ? first : second;
    }
}
