package dev.chatcentral.simulator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.serde.Json;

/**
 * Webhook envelopes exactly as Evolution API v2.3 posts them (reference/evolution-api.md): {@code event},
 * {@code instance}, {@code data}, {@code destination}, {@code date_time}, {@code sender}, {@code server_url},
 * {@code apikey}. Every builder returns a fresh tree the caller may change.
 *
 * <p>What Evolution knows about its own instance (the connected number, the instance UUID, the instance token) is
 * derived from the instance name, so the same instance always looks the same across runs and tests.
 * {@code destination} is the URL the envelope is posted to; {@link WebhookSender} fills it in, as Evolution does.
 */
public final class EvolutionPayloads {

    /** The address this stand-in for Evolution answers on, written into {@code server_url}. */
    public static final String SERVER_URL = "http://localhost:8090";

    public static final String PERSONAL_JID_SUFFIX = "@s.whatsapp.net";

    /** Receipt statuses of {@code messages.update}, in the order WhatsApp reports them. */
    public static final String STATUS_PENDING = "PENDING";
    public static final String STATUS_SERVER_ACK = "SERVER_ACK";
    public static final String STATUS_DELIVERY_ACK = "DELIVERY_ACK";
    public static final String STATUS_READ = "READ";

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();
    private static final String CUID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private EvolutionPayloads() {
    }

    /** {@code messages.upsert} of a customer's plain text, the {@code conversation} form (Evolution 2.2+). */
    public static ObjectNode customerText(String instance, String phone, String pushName, String text, String keyId,
            long epochSeconds) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("conversation", text);
        return upsert(instance, key(jid(phone), false, keyId), pushName, STATUS_DELIVERY_ACK, message,
                "conversation", epochSeconds, "android");
    }

    /** {@code messages.upsert} of a customer's text in the {@code extendedTextMessage} form older senders use. */
    public static ObjectNode customerExtendedText(String instance, String phone, String pushName, String text,
            String keyId, long epochSeconds) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.putObject("extendedTextMessage").put("text", text);
        return upsert(instance, key(jid(phone), false, keyId), pushName, STATUS_DELIVERY_ACK, message,
                "extendedTextMessage", epochSeconds, "ios");
    }

    /** {@code messages.upsert} with {@code fromMe: true}: a text the company typed on the phone itself. */
    public static ObjectNode companyText(String instance, String customerPhone, String text, String keyId,
            long epochSeconds) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("conversation", text);
        return upsert(instance, key(jid(customerPhone), true, keyId), profileName(instance), STATUS_SERVER_ACK,
                message, "conversation", epochSeconds, "android");
    }

    /** {@code messages.upsert} of a text in a group: {@code remoteJid} is the group, the sender is the participant. */
    public static ObjectNode groupText(String instance, String groupJid, String participantPhone, String pushName,
            String text, String keyId, long epochSeconds) {
        ObjectNode key = key(groupJid, false, keyId);
        key.put("participant", jid(participantPhone));
        ObjectNode message = Json.MAPPER.createObjectNode().put("conversation", text);
        return upsert(instance, key, pushName, STATUS_DELIVERY_ACK, message, "conversation", epochSeconds,
                "android");
    }

    /**
     * The message object Evolution returns from sendText (and posts as {@code send.message}): {@code fromMe},
     * status PENDING, an id as WhatsApp Web makes them.
     */
    public static ObjectNode sentText(String instance, String remoteJid, String text, String keyId,
            long epochSeconds) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("key", key(remoteJid, true, keyId));
        data.put("pushName", "Você");
        data.put("status", STATUS_PENDING);
        data.putObject("message").put("conversation", text);
        data.put("messageType", "conversation");
        data.put("messageTimestamp", epochSeconds);
        data.put("instanceId", instanceId(instance));
        data.put("source", "web");
        return data;
    }

    /** {@code messages.update}: a delivery receipt of a message the company sent ({@code keyId} = its key.id). */
    public static ObjectNode receipt(String instance, String customerPhone, String keyId, String status) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("keyId", keyId);
        data.put("remoteJid", jid(customerPhone));
        data.put("fromMe", true);
        data.put("participant", jid(customerPhone));
        data.put("status", status);
        data.put("instanceId", instanceId(instance));
        data.put("messageId", newMessageId());
        return envelope(EvolutionEvent.MESSAGES_UPDATE, instance, data, Instant.now());
    }

    /** {@code presence.update}: the customer is {@code composing}, {@code paused}, {@code available}... */
    public static ObjectNode presence(String instance, String customerPhone, String presence) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("id", jid(customerPhone));
        data.putObject("presences").putObject(jid(customerPhone)).put("lastKnownPresence", presence);
        return envelope(EvolutionEvent.PRESENCE_UPDATE, instance, data, Instant.now());
    }

    /** {@code send.message}: Evolution reports a message it sent through the API ({@link #sentText}). */
    public static ObjectNode sendMessage(String instance, ObjectNode sentText) {
        return envelope(EvolutionEvent.SEND_MESSAGE, instance, sentText, Instant.now());
    }

    /** {@code connection.update}; an {@code open} connection also names the connected number and profile. */
    public static ObjectNode connection(String instance, String state, int statusReason) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("instance", instance);
        if ("open".equals(state)) {
            data.put("wuid", jid(ownerPhone(instance)));
            data.put("profileName", profileName(instance));
        }
        data.put("state", state);
        data.put("statusReason", statusReason);
        return envelope(EvolutionEvent.CONNECTION_UPDATE, instance, data, Instant.now());
    }

    /** The envelope around {@code data}; {@code destination} stays null until the envelope is posted. */
    public static ObjectNode envelope(String event, String instance, JsonNode data, Instant dateTime) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("event", event);
        envelope.put("instance", instance);
        envelope.set("data", data);
        envelope.putNull("destination");
        envelope.put("date_time", DATE_TIME.format(dateTime));
        envelope.put("sender", jid(ownerPhone(instance)));
        envelope.put("server_url", SERVER_URL);
        envelope.put("apikey", apikey(instance));
        return envelope;
    }

    /** A fresh message id as WhatsApp Web makes them (Evolution's own sends): 20 uppercase hex starting 3EB0. */
    public static String newWebKeyId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "3EB0" + UPPER_HEX.formatHex(bytes);
    }

    /** A fresh message id as WhatsApp phones make them: 20 uppercase hex characters starting with 3A. */
    public static String newKeyId() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return "3A" + UPPER_HEX.formatHex(bytes);
    }

    /** The personal JID of a phone number given as digits with country code, e.g. 5511988887777. */
    public static String jid(String phone) {
        return phone + PERSONAL_JID_SUFFIX;
    }

    /** The number the instance is connected to: a São Paulo mobile, fixed per instance name. */
    public static String ownerPhone(String instance) {
        long digits = Math.floorMod(UUID.nameUUIDFromBytes(utf8("phone:" + instance)).getLeastSignificantBits(),
                100_000_000L);
        return String.format(Locale.ROOT, "55119%08d", digits);
    }

    /** Evolution's UUID of the instance. */
    public static String instanceId(String instance) {
        return UUID.nameUUIDFromBytes(utf8("instance:" + instance)).toString();
    }

    /** The instance token Evolution sends as {@code apikey} and expects on sendText. */
    public static String apikey(String instance) {
        return UUID.nameUUIDFromBytes(utf8("apikey:" + instance)).toString().toUpperCase(Locale.ROOT);
    }

    /** The WhatsApp profile name of the connected number: the instance name in words, loja-01 -> Loja 01. */
    public static String profileName(String instance) {
        StringBuilder name = new StringBuilder();
        for (String word : instance.split("[-_]+")) {
            if (!word.isEmpty()) {
                name.append(name.isEmpty() ? "" : " ")
                        .append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return name.toString();
    }

    static ObjectNode upsert(String instance, ObjectNode key, String pushName, String status,
            ObjectNode message, String messageType, long epochSeconds, String source) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("key", key);
        data.put("pushName", pushName);
        data.put("status", status);
        data.set("message", message);
        data.put("messageType", messageType);
        data.put("messageTimestamp", epochSeconds);
        data.put("instanceId", instanceId(instance));
        data.put("source", source);
        return envelope(EvolutionEvent.MESSAGES_UPSERT, instance, data, Instant.ofEpochSecond(epochSeconds));
    }

    static ObjectNode key(String remoteJid, boolean fromMe, String keyId) {
        ObjectNode key = Json.MAPPER.createObjectNode();
        key.put("remoteJid", remoteJid);
        key.put("fromMe", fromMe);
        key.put("id", keyId);
        return key;
    }

    /** Evolution's database id of a message: a cuid ("c" + 24 lowercase alphanumerics). */
    public static String newMessageId() {
        StringBuilder id = new StringBuilder("cm");
        for (int i = 0; i < 23; i++) {
            id.append(CUID_ALPHABET.charAt(RANDOM.nextInt(CUID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
