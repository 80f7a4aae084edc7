package dev.chatcentral.processor.webhook;

import static dev.chatcentral.processor.webhook.JsonFields.firstText;
import static dev.chatcentral.processor.webhook.JsonFields.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;

/**
 * Reads the {@code data} of a {@code messages.upsert} or {@code send.message} webhook (the same message shape),
 * refusing what lacks the ids a mensagem needs and bounding the texts it keeps ({@link FieldLimits}).
 */
public final class MessageUpsertParser {

    private static final String LID_SUFFIX = "@lid";
    private static final String UNKNOWN_TYPE = "unknown";
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
        String instance = JsonFields.identifier(webhook.instance(), "instance");
        if (instance == null) {
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
        String keyId = requiredIdentifier(webhook, key, "id", "data.key.id");
        String remoteJid = requiredIdentifier(webhook, key, "remoteJid", "data.key.remoteJid");
        JsonNode message = unwrap(data.path("message"));
        String messageType = text(data, "messageType");
        if (messageType != null) {
            messageType = JsonFields.identifier(messageType, "data.messageType");
        } else {
            // the first field's name is the message's kind; a name no message type has is no type at all
            String first = message.isObject() && !message.isEmpty() ? message.propertyNames().iterator().next() : null;
            messageType = Texts.isIdentifier(first) ? first : UNKNOWN_TYPE;
        }
        Boolean fromMe = JsonFields.bool(key, "fromMe", "data.key.fromMe");
        List<String> sanitized = new ArrayList<>(0);
        Texts.Bounded pushName = Texts.bounded(text(data, "pushName"), FieldLimits.NAME);
        if (pushName.changed()) {
            sanitized.add(Mensagem.SENDER_NAME);
        }
        Texts.Bounded text = messageText(message);
        if (text.changed()) {
            sanitized.add(Mensagem.TEXT);
        }
        JsonNode timestamp = data.path("messageTimestamp");
        Instant sentAt = timestamp(timestamp);
        if (sentAt == null && !timestamp.isMissingNode() && !timestamp.isNull()) {
            sanitized.add(Mensagem.SENT_AT);
        }
        return new MessageUpsert(
                instance,
                keyId,
                // protobuf-style JSON leaves false out
                fromMe != null && fromMe,
                remoteJid,
                optionalIdentifier(firstText(text(key, "remoteJidAlt"), text(data, "remoteJidAlt"))),
                participant(key),
                optionalIdentifier(webhook.sender()),
                pushName.value(),
                messageType,
                text.value(),
                sentAt,
                optionalIdentifier(firstText(text(data, "status"), defaultStatus)),
                List.copyOf(sanitized));
    }

    /** The group member who wrote: the phone form when both a LID and a phone JID are given. */
    static String participant(JsonNode key) {
        String participant = optionalIdentifier(text(key, "participant"));
        String alt = optionalIdentifier(text(key, "participantAlt"));
        if (participant == null || (participant.endsWith(LID_SUFFIX) && alt != null)) {
            return alt;
        }
        return participant;
    }

    /** An id the webhook may carry: kept when it is a well-formed id, else treated as absent. */
    private static String optionalIdentifier(String value) {
        return Texts.isIdentifier(value) ? value : null;
    }

    /** The message inside its wrappers (disappearing, view-once, edited, ...). */
    static JsonNode unwrap(JsonNode message) {
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
     * emoji, or the caption of whichever media the message holds, each within its limit.
     */
    static Texts.Bounded messageText(JsonNode message) {
        if (!message.isObject()) {
            return Texts.bounded(null, FieldLimits.TEXT);
        }
        String text = firstText(text(message, "conversation"), text(message.path("extendedTextMessage"), "text"));
        if (text == null) {
            text = text(message.path("reactionMessage"), "text");
        }
        if (text != null) {
            return Texts.bounded(text, FieldLimits.TEXT);
        }
        for (Map.Entry<String, JsonNode> part : message.properties()) {
            String caption = text(part.getValue(), "caption");
            if (caption != null) {
                return Texts.bounded(caption, FieldLimits.CAPTION);
            }
        }
        return Texts.bounded(null, FieldLimits.CAPTION);
    }

    /**
     * Epoch seconds as a number, a numeric string, or the {@code {low, high}} of a serialised protobuf Long; null
     * when absent or not a readable instant (the mensagem then takes the time it was received, flagged).
     */
    static Instant timestamp(JsonNode value) {
        try {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return Instant.ofEpochSecond(value.longValue());
            }
            if (value.isString() && value.stringValue().length() <= 20) {
                return Instant.ofEpochSecond(Long.parseLong(value.stringValue().trim()));
            }
            if (value.isObject() && value.path("low").isIntegralNumber() && value.path("low").canConvertToLong()) {
                long high = value.path("high").canConvertToLong() ? value.path("high").asLong(0) : 0;
                return Instant.ofEpochSecond((high << 32) | (value.path("low").longValue() & 0xFFFFFFFFL));
            }
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
        return null;
    }

    private static String requiredIdentifier(EvolutionWebhook webhook, JsonNode node, String field, String path) {
        String value = JsonFields.identifier(text(node, field), path);
        if (value == null) {
            throw new InvalidWebhookException(webhook.event() + " has no " + path);
        }
        return value;
    }
}
