package dev.chatcentral.simulator.webhook;

import java.time.Instant;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.serde.Json;

/**
 * Reactions, edits and deletions as Evolution v2.3 answers and posts them (read from its
 * whatsapp.baileys.service.ts): the messages it sends for {@code sendReaction} and {@code deleteMessageForEveryone},
 * and the {@code messages.edited}, {@code messages.delete}, {@code messages.update} and {@code messages.upsert} of
 * what a customer did. A message key here is {@code {"remoteJid","fromMe","id"}}.
 */
public final class ActionPayloads {

    private static final String REACTION = "reactionMessage";

    private ActionPayloads() {
    }

    /** A message key {@code {"remoteJid","fromMe","id"}}. */
    public static ObjectNode key(String remoteJid, boolean fromMe, String keyId) {
        return EvolutionPayloads.key(remoteJid, fromMe, keyId);
    }

    /** What sendReaction answers and posts as {@code send.message}: the reaction the instance sent. */
    public static ObjectNode sentReaction(String instance, ObjectNode targetKey, String emoji, String keyId,
            Instant at) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("key", key(targetKey.get("remoteJid").asString(), true, keyId));
        data.put("pushName", "Você");
        data.put("status", EvolutionPayloads.STATUS_PENDING);
        data.putObject("message").set(REACTION, reaction(targetKey, emoji, at));
        data.put("messageType", REACTION);
        data.put("messageTimestamp", at.getEpochSecond());
        data.put("instanceId", EvolutionPayloads.instanceId(instance));
        data.put("source", "web");
        return data;
    }

    /** What deleteMessageForEveryone answers: the REVOKE protocol message the instance sent. */
    public static ObjectNode sentRevoke(ObjectNode targetKey, String keyId, Instant at) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("key", key(targetKey.get("remoteJid").asString(), true, keyId));
        data.putObject("message").set("protocolMessage", revoke(targetKey));
        data.put("messageType", "protocolMessage");
        data.put("messageTimestamp", at.getEpochSecond());
        data.put("status", EvolutionPayloads.STATUS_PENDING);
        return data;
    }

    /** {@code messages.delete}: its {@code data} is the deleted message's key (with {@code participant} in groups). */
    public static ObjectNode messagesDelete(String instance, ObjectNode key) {
        return EvolutionPayloads.envelope(EvolutionEvent.MESSAGES_DELETE, instance, key, Instant.now());
    }

    /** {@code messages.edited}: its {@code data} is WhatsApp's protocolMessage (an edit or a revoke). */
    public static ObjectNode messagesEdited(String instance, ObjectNode protocolMessage) {
        return EvolutionPayloads.envelope(EvolutionEvent.MESSAGES_EDITED, instance, protocolMessage, Instant.now());
    }

    /** {@code messages.update} saying a message was deleted. */
    public static ObjectNode deletedUpdate(String instance, ObjectNode key) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("keyId", key.get("id").asString());
        data.set("remoteJid", key.get("remoteJid"));
        data.set("fromMe", key.get("fromMe"));
        data.put("status", "DELETED");
        return EvolutionPayloads.envelope(EvolutionEvent.MESSAGES_UPDATE, instance, data, Instant.now());
    }

    /** WhatsApp's protocolMessage of an edit: the message's key, its new text, when it was edited. */
    public static ObjectNode edit(ObjectNode key, String text, Instant at) {
        ObjectNode protocol = Json.MAPPER.createObjectNode();
        protocol.set("key", key.deepCopy());
        protocol.put("type", "MESSAGE_EDIT");
        protocol.putObject("editedMessage").put("conversation", text);
        protocol.put("timestampMs", Long.toString(at.toEpochMilli()));
        return protocol;
    }

    /** WhatsApp's protocolMessage of a deletion for everyone. */
    public static ObjectNode revoke(ObjectNode key) {
        ObjectNode protocol = Json.MAPPER.createObjectNode();
        protocol.set("key", key.deepCopy());
        protocol.put("type", "REVOKE");
        return protocol;
    }

    /** {@code messages.upsert} of an edit, the other form Evolution posts it in: a new message wrapping the edit. */
    public static ObjectNode editUpsert(String instance, ObjectNode key, String pushName, ObjectNode edit,
            String keyId, Instant at) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.putObject("editedMessage").putObject("message").set("protocolMessage", edit);
        ObjectNode upsertKey = key(key.get("remoteJid").asString(), key.get("fromMe").asBoolean(), keyId);
        return EvolutionPayloads.upsert(instance, upsertKey, pushName, EvolutionPayloads.STATUS_DELIVERY_ACK,
                message, "editedMessage", at.getEpochSecond(), "android");
    }

    /** {@code messages.upsert} of a customer's reaction to the message {@code targetKey} ("" removes it). */
    public static ObjectNode customerReaction(String instance, String customerJid, String pushName,
            ObjectNode targetKey, String emoji, String keyId, Instant at) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.set(REACTION, reaction(targetKey, emoji, at));
        return EvolutionPayloads.upsert(instance, key(customerJid, false, keyId), pushName,
                EvolutionPayloads.STATUS_DELIVERY_ACK, message, REACTION, at.getEpochSecond(), "android");
    }

    private static JsonNode reaction(ObjectNode targetKey, String emoji, Instant at) {
        ObjectNode reaction = Json.MAPPER.createObjectNode();
        reaction.set("key", targetKey.deepCopy());
        reaction.put("text", emoji);
        reaction.put("senderTimestampMs", at.toEpochMilli());
        return reaction;
    }
}
