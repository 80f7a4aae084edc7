package dev.chatcentral.processor.topology;

import java.nio.charset.StandardCharsets;

/** Evolution API webhook bodies in the shapes of reference/evolution-api.md, for tests. */
final class Webhooks {

    static final String INSTANCE = "loja-01";
    static final String OWN_JID = "5511999990000@s.whatsapp.net";
    static final String CUSTOMER_JID = "5511988887777@s.whatsapp.net";
    static final long SENT_AT = 1761057639L;

    private Webhooks() {
    }

    /** A customer's plain text. */
    static byte[] customerText(String keyId, String text) {
        return upsert(key(CUSTOMER_JID, false, keyId), "Maria Silva", conversation(text), "conversation", SENT_AT);
    }

    static byte[] upsert(String key, String pushName, String message, String messageType, Object timestamp) {
        return upsert(INSTANCE, key, pushName, message, messageType, timestamp, null);
    }

    static byte[] upsert(String instance, String key, String pushName, String message, String messageType,
                         Object timestamp, String status) {
        String ts = timestamp instanceof String s ? "\"" + s + "\"" : String.valueOf(timestamp);
        String data = "{\"key\":" + key
                + (pushName == null ? "" : ",\"pushName\":\"" + pushName + "\"")
                + (status == null ? "" : ",\"status\":\"" + status + "\"")
                + ",\"message\":" + message
                + ",\"messageType\":\"" + messageType + "\""
                + ",\"messageTimestamp\":" + ts
                + ",\"instanceId\":\"0b6e7c2a-1f4d-4a8e-9c3b-5d2f7e8a9b10\",\"source\":\"android\"}";
        return envelope("messages.upsert", instance, data);
    }

    static byte[] envelope(String event, String instance, String data) {
        String instanceField = instance == null ? "" : ",\"instance\":\"" + instance + "\"";
        return ("{\"event\":\"" + event + "\"" + instanceField + ",\"data\":" + data
                + ",\"destination\":\"https://ingest.example.com/webhooks/evolution/emp-1\""
                + ",\"date_time\":\"2025-10-21T14:40:39.512Z\",\"sender\":\"" + OWN_JID + "\""
                + ",\"server_url\":\"https://evo.example.com\"}").getBytes(StandardCharsets.UTF_8);
    }

    static String key(String remoteJid, boolean fromMe, String id) {
        return "{\"remoteJid\":\"" + remoteJid + "\",\"fromMe\":" + fromMe + ",\"id\":\"" + id + "\"}";
    }

    static String conversation(String text) {
        return "{\"conversation\":\"" + text + "\"}";
    }

    /** A {@code messages.update} receipt in Evolution 2.x's flat form. */
    static byte[] receipt(String keyId, boolean fromMe, String status) {
        return receipt(CUSTOMER_JID, keyId, fromMe, status);
    }

    static byte[] receipt(String remoteJid, String keyId, boolean fromMe, String status) {
        return envelope("messages.update", INSTANCE, "{\"keyId\":\"" + keyId + "\",\"remoteJid\":\"" + remoteJid
                + "\",\"fromMe\":" + fromMe + ",\"participant\":\"" + remoteJid + "\",\"status\":\"" + status
                + "\",\"instanceId\":\"abb8e7b9-7586-6462-95c4\",\"messageId\":\"cmfyoow42000hov4xwkdug3lv\"}");
    }

    /** What sendText returned, posted back as {@code send.message}. */
    static byte[] sendMessage(String keyId, String text) {
        return envelope("send.message", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, true, keyId)
                + ",\"pushName\":\"Você\",\"status\":\"PENDING\",\"message\":" + conversation(text)
                + ",\"messageType\":\"conversation\",\"messageTimestamp\":" + (SENT_AT + 60)
                + ",\"instanceId\":\"0b6e7c2a\",\"source\":\"web\"}");
    }

    static byte[] presence(String chatJid, String who, String presence) {
        return envelope("presence.update", INSTANCE, "{\"id\":\"" + chatJid + "\",\"presences\":{\"" + who
                + "\":{\"lastKnownPresence\":\"" + presence + "\"}}}");
    }

    /** Evolution's {@code messages.edited}: WhatsApp's protocolMessage editing mensagem {@code keyId}. */
    static byte[] edited(String keyId, boolean fromMe, String text, long timestampMs) {
        return envelope("messages.edited", INSTANCE, "{\"key\":" + key(CUSTOMER_JID, fromMe, keyId)
                + ",\"type\":\"MESSAGE_EDIT\",\"editedMessage\":" + conversation(text)
                + ",\"timestampMs\":\"" + timestampMs + "\"}");
    }

    /** Evolution's {@code messages.delete}: the key of the mensagem deleted for everyone. */
    static byte[] deleted(String keyId, boolean fromMe) {
        return envelope("messages.delete", INSTANCE, key(CUSTOMER_JID, fromMe, keyId));
    }

    /**
     * A reaction to mensagem {@code targetKeyId}, as {@code messages.upsert} carries it; an empty emoji takes the
     * reaction back.
     *
     * @param fromMe whether the empresa's own number reacted
     */
    static byte[] reaction(String keyId, boolean fromMe, String targetKeyId, boolean targetFromMe, String emoji,
                           long timestampMs) {
        return upsert(key(CUSTOMER_JID, fromMe, keyId), fromMe ? "Você" : "Maria Silva",
                "{\"reactionMessage\":{\"key\":" + key(CUSTOMER_JID, targetFromMe, targetKeyId) + ",\"text\":\""
                        + emoji + "\",\"senderTimestampMs\":" + timestampMs + "}}", "reactionMessage", SENT_AT);
    }
}
