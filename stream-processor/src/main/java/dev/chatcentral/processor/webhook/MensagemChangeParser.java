package dev.chatcentral.processor.webhook;

import static dev.chatcentral.processor.webhook.JsonFields.firstText;
import static dev.chatcentral.processor.webhook.JsonFields.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.command.CommandRules;
import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.processor.webhook.ParsedWebhook.Edit;
import dev.chatcentral.processor.webhook.ParsedWebhook.ReactionChange;
import dev.chatcentral.processor.webhook.ParsedWebhook.Revoke;
import dev.chatcentral.processor.webhook.ParsedWebhook.TargetKey;
import dev.chatcentral.processor.webhook.ParsedWebhook.Unhandled;
import dev.chatcentral.schemas.conversa.Reaction;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;

/**
 * Reads the webhooks that change a mensagem instead of being one (Evolution's whatsapp.baileys.service): a
 * {@code reactionMessage} or a {@code protocolMessage} inside a message webhook, {@code messages.edited} (whose
 * {@code data} is WhatsApp's protocolMessage, an edit or a revoke), and {@code messages.delete} (whose {@code data} is
 * the deleted message's key, or the stored message with its key).
 */
final class MensagemChangeParser {

    /** WhatsApp's protocolMessage types, by name and by their protobuf number. */
    private static final String REVOKE = "REVOKE";
    private static final String MESSAGE_EDIT = "MESSAGE_EDIT";
    private static final int REVOKE_NUMBER = 0;
    private static final int MESSAGE_EDIT_NUMBER = 14;
    private static final String PHONE_SUFFIX = "@s.whatsapp.net";
    private static final String GROUP_SUFFIX = "@g.us";

    private MensagemChangeParser() {
    }

    /**
     * The change a message webhook carries: a reaction, an edit or a revoke; {@link Unhandled} for another protocol
     * message (settings, key shares: nothing to show); null when it is a message of its own.
     */
    static ParsedWebhook fromMessage(EvolutionWebhook webhook) {
        JsonNode data = webhook.data();
        if (data == null || !data.isObject() || !data.path("key").isObject()) {
            return null;
        }
        JsonNode message = MessageUpsertParser.unwrap(data.path("message"));
        JsonNode reaction = message.path("reactionMessage");
        if (reaction.isObject()) {
            return reaction(webhook, data, reaction);
        }
        JsonNode protocol = message.path("protocolMessage");
        if (protocol.isObject()) {
            return protocol(webhook, protocol, text(data.path("key"), "remoteJid"));
        }
        return null;
    }

    /** {@code messages.edited}: WhatsApp's protocolMessage itself. */
    static ParsedWebhook edited(EvolutionWebhook webhook) {
        JsonNode data = WebhookParser.single(webhook);
        return protocol(webhook, data, null);
    }

    /** {@code messages.delete}: the key, or the stored message holding it. */
    static Revoke deleted(EvolutionWebhook webhook) {
        JsonNode data = WebhookParser.single(webhook);
        JsonNode key = data.path("key").isObject() ? data.path("key") : data;
        return new Revoke(WebhookParser.instance(webhook), target(webhook, key, null, "data.key"));
    }

    private static ReactionChange reaction(EvolutionWebhook webhook, JsonNode data, JsonNode reaction) {
        JsonNode ownKey = data.path("key");
        String keyId = required(webhook, text(ownKey, "id"), "data.key.id");
        String chat = required(webhook, text(ownKey, "remoteJid"), "data.key.remoteJid");
        JsonNode targetKey = reaction.path("key");
        if (!targetKey.isObject()) {
            throw new InvalidWebhookException(webhook.event() + " has a reactionMessage without its key");
        }
        TargetKey target = target(webhook, targetKey, chat, "reactionMessage.key");
        Boolean fromMe = JsonFields.bool(ownKey, "fromMe", "data.key.fromMe");
        String reactor;
        if (fromMe != null && fromMe) {
            reactor = Reaction.COMPANY;
        } else if (chat.endsWith(GROUP_SUFFIX)) {
            reactor = required(webhook, MessageUpsertParser.participant(ownKey), "data.key.participant");
        } else {
            String alt = text(ownKey, "remoteJidAlt");
            reactor = !chat.endsWith(PHONE_SUFFIX) && Texts.isIdentifier(alt) && alt.endsWith(PHONE_SUFFIX) ? alt
                    : chat;
        }
        JsonNode emojiNode = reaction.path("text");
        if (!emojiNode.isMissingNode() && !emojiNode.isNull() && !emojiNode.isString()) {
            throw new InvalidWebhookException("reactionMessage.text is not a string: " + emojiNode.getNodeType());
        }
        String emoji = emojiNode.isString() && !emojiNode.stringValue().isEmpty() ? emojiNode.stringValue() : null;
        if (emoji != null && !CommandRules.isReaction(emoji)) {
            throw new InvalidWebhookException("reactionMessage.text is no reaction: longer than "
                    + CommandRules.MAX_EMOJI + " characters, or with control characters");
        }
        Instant at = millis(reaction.path("senderTimestampMs"));
        if (at == null) {
            at = MessageUpsertParser.timestamp(data.path("messageTimestamp"));
        }
        return new ReactionChange(WebhookParser.instance(webhook), target, keyId, reactor, fromMe != null && fromMe,
                emoji, at);
    }

    /**
     * An edit or a revoke; another protocol message is {@link Unhandled}.
     *
     * @param chat the chat of the webhook carrying it, for a key that leaves its own out
     */
    private static ParsedWebhook protocol(EvolutionWebhook webhook, JsonNode protocol, String chat) {
        String type = type(protocol.path("type"));
        if (!REVOKE.equals(type) && !MESSAGE_EDIT.equals(type)) {
            return new Unhandled(WebhookParser.instance(webhook), webhook.event() + " protocolMessage " + type);
        }
        JsonNode key = protocol.path("key");
        if (!key.isObject()) {
            throw new InvalidWebhookException(webhook.event() + " has a " + type + " protocolMessage without its key");
        }
        TargetKey target = target(webhook, key, chat, "protocolMessage.key");
        if (REVOKE.equals(type)) {
            return new Revoke(WebhookParser.instance(webhook), target);
        }
        JsonNode edited = MessageUpsertParser.unwrap(protocol.path("editedMessage"));
        String text = MessageUpsertParser.messageText(edited).value();
        if (text == null) {
            throw new InvalidWebhookException(webhook.event() + " has an edit without a text");
        }
        return new Edit(WebhookParser.instance(webhook), target, Texts.bounded(text, FieldLimits.TEXT).value(),
                millis(protocol.path("timestampMs")));
    }

    private static String type(JsonNode type) {
        if (type.isIntegralNumber() && type.canConvertToInt()) {
            return switch (type.intValue()) {
                case REVOKE_NUMBER -> REVOKE;
                case MESSAGE_EDIT_NUMBER -> MESSAGE_EDIT;
                default -> Integer.toString(type.intValue());
            };
        }
        if (type.isString() && Texts.isIdentifier(type.stringValue())) {
            return type.stringValue().trim().toUpperCase(Locale.ROOT);
        }
        return "of no known type";
    }

    private static TargetKey target(EvolutionWebhook webhook, JsonNode key, String chat, String path) {
        String keyId = required(webhook, JsonFields.identifier(text(key, "id"), path + ".id"), path + ".id");
        String remoteJid = required(webhook, firstText(JsonFields.identifier(text(key, "remoteJid"),
                path + ".remoteJid"), chat), path + ".remoteJid");
        return new TargetKey(keyId, JsonFields.bool(key, "fromMe", path + ".fromMe"), remoteJid);
    }

    private static String required(EvolutionWebhook webhook, String value, String path) {
        if (value == null || !Texts.isIdentifier(value)) {
            throw new InvalidWebhookException(webhook.event() + " has no " + path);
        }
        return value;
    }

    /** Epoch milliseconds as a number or a numeric string; null when absent or unreadable. */
    private static Instant millis(JsonNode value) {
        try {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return Instant.ofEpochMilli(value.longValue());
            }
            if (value.isString() && value.stringValue().length() <= 20) {
                return Instant.ofEpochMilli(Long.parseLong(value.stringValue().trim()));
            }
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
        return null;
    }

}
