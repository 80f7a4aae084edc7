package dev.chatcentral.bench.peers.pgqueue;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.serde.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a worker does with one queued webhook: messages.upsert stores the mensagem (once per key.id) and its
 * conversa, messages.update moves a mensagem's status forward; each change becomes one event shaped as
 * chat-central's gateway frames are (docs/protocol.md), for the relay. Other events are accepted and dropped.
 */
final class WebhookHandler {

    private static final int PREVIEW_CHARS = 100;

    private static final String INSERT_MENSAGEM = """
            INSERT INTO mensagem (id, conversa_id, empresa_id, instance, key_id, from_me, sender_jid, sender_name,
                                  message_type, text, status, status_rank, sent_at, received_at, queue_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (empresa_id, instance, key_id, from_me) DO NOTHING""";

    /** The conversa's preview only moves to a newer mensagem: a retried webhook may land after a later one. */
    private static final String UPSERT_CONVERSA = """
            INSERT INTO conversa AS c (id, empresa_id, instance, remote_jid, contact_name, status, unread_count,
                                       last_mensagem_preview, last_mensagem_at, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'aguardando', ?, ?, ?, 0, now(), now())
            ON CONFLICT (id) DO UPDATE SET
                contact_name = COALESCE(EXCLUDED.contact_name, c.contact_name),
                unread_count = c.unread_count + EXCLUDED.unread_count,
                last_mensagem_preview = CASE WHEN c.last_mensagem_at IS NULL
                    OR EXCLUDED.last_mensagem_at >= c.last_mensagem_at
                    THEN EXCLUDED.last_mensagem_preview ELSE c.last_mensagem_preview END,
                last_mensagem_at = GREATEST(c.last_mensagem_at, EXCLUDED.last_mensagem_at),
                status = CASE WHEN c.status = 'encerrada' AND EXCLUDED.unread_count > 0
                    THEN 'aguardando' ELSE c.status END,
                version = c.version + 1,
                updated_at = now()
            RETURNING remote_jid_alt, contact_name, status, atendente_id, unread_count, last_mensagem_preview,
                      last_mensagem_at, version, created_at, updated_at""";

    private static final String UPDATE_STATUS = """
            UPDATE mensagem m SET status = ?, status_rank = ?
            FROM (SELECT id, status FROM mensagem
                  WHERE empresa_id = ? AND instance = ? AND key_id = ? AND from_me = ? FOR UPDATE) old
            WHERE m.id = old.id AND m.status_rank < ?
            RETURNING m.id, m.conversa_id, old.status""";

    /** A webhook that can never be handled as it is: retried all the same (as the original design does). */
    static final class PoisonedWebhook extends RuntimeException {
        PoisonedWebhook(String message) {
            super(message);
        }
    }

    /** One queued webhook, as the worker claimed it. */
    record Claimed(long id, String empresaId, String payload, int attempts, Instant queuedAt) {
    }

    /** An event for the relay: its empresa and the frame every subscriber of that empresa receives. */
    record Event(String id, String empresaId, String frame) {
    }

    /** Handles {@code row} on {@code c}, inside the worker's transaction; null when nothing changed. */
    Event handle(Connection c, Claimed row) throws SQLException {
        JsonNode webhook = Json.MAPPER.readTree(row.payload());
        String event = webhook.path("event").asString("");
        return switch (event) {
            case "messages.upsert" -> upsert(c, row, webhook);
            case "messages.update" -> update(c, row, webhook);
            default -> null;
        };
    }

    private Event upsert(Connection c, Claimed row, JsonNode webhook) throws SQLException {
        String instance = text(webhook, "instance");
        JsonNode data = webhook.path("data");
        JsonNode key = data.path("key");
        String remoteJid = text(key, "remoteJid");
        String keyId = text(key, "id");
        if (!key.path("fromMe").isBoolean()) {
            throw new PoisonedWebhook("messages.upsert without a boolean data.key.fromMe");
        }
        boolean fromMe = key.path("fromMe").asBoolean();
        JsonNode message = data.path("message");
        String body = message.path("conversation").isString() ? message.path("conversation").asString()
                : message.path("extendedTextMessage").path("text").isString()
                ? message.path("extendedTextMessage").path("text").asString() : null;
        String messageType = data.path("messageType").asString("unknown");
        String pushName = data.path("pushName").isString() ? data.path("pushName").asString() : null;
        Instant sentAt = data.path("messageTimestamp").canConvertToLong()
                ? Instant.ofEpochSecond(data.path("messageTimestamp").asLong()) : row.queuedAt();
        MensagemStatus status = status(data.path("status").asString(""),
                fromMe ? MensagemStatus.SERVER_ACK : MensagemStatus.DELIVERY_ACK);
        UUID conversaId = Conversas.conversaId(row.empresaId(), instance, remoteJid);
        UUID mensagemId = Conversas.mensagemId(row.empresaId(), instance, keyId, fromMe);
        String senderJid = fromMe ? null : remoteJid;
        String senderName = fromMe ? null : pushName;
        try (PreparedStatement p = c.prepareStatement(INSERT_MENSAGEM)) {
            p.setObject(1, mensagemId);
            p.setObject(2, conversaId);
            p.setString(3, row.empresaId());
            p.setString(4, instance);
            p.setString(5, keyId);
            p.setBoolean(6, fromMe);
            p.setString(7, senderJid);
            p.setString(8, senderName);
            p.setString(9, messageType);
            p.setString(10, body);
            p.setString(11, status.name());
            p.setShort(12, (short) status.rank());
            p.setTimestamp(13, Timestamp.from(sentAt));
            p.setTimestamp(14, Timestamp.from(row.queuedAt()));
            p.setLong(15, row.id());
            if (p.executeUpdate() == 0) {
                return null;
            }
        }
        Conversa conversa;
        try (PreparedStatement p = c.prepareStatement(UPSERT_CONVERSA)) {
            p.setObject(1, conversaId);
            p.setString(2, row.empresaId());
            p.setString(3, instance);
            p.setString(4, remoteJid);
            p.setString(5, senderName);
            p.setInt(6, fromMe ? 0 : 1);
            p.setString(7, body == null ? null : body.substring(0, Math.min(PREVIEW_CHARS, body.length())));
            p.setTimestamp(8, Timestamp.from(sentAt));
            try (ResultSet r = p.executeQuery()) {
                r.next();
                conversa = new Conversa(conversaId.toString(), row.empresaId(), instance, remoteJid, r.getString(1),
                        r.getString(2), ConversaStatus.valueOf(r.getString(3).toUpperCase(Locale.ROOT)),
                        r.getString(4), r.getInt(5), r.getString(6), instant(r.getTimestamp(7)), r.getLong(8),
                        instant(r.getTimestamp(9)), instant(r.getTimestamp(10)));
            }
        }
        Mensagem mensagem = new Mensagem(mensagemId.toString(), conversaId.toString(), row.empresaId(), instance,
                keyId, fromMe, senderJid, senderName, messageType, body, status, sentAt, row.queuedAt(), List.of());
        return event(row, "message_notification", Map.of("conversa", conversa, "mensagem", mensagem));
    }

    private Event update(Connection c, Claimed row, JsonNode webhook) throws SQLException {
        String instance = text(webhook, "instance");
        JsonNode data = webhook.path("data");
        String keyId = text(data, "keyId");
        boolean fromMe = data.path("fromMe").asBoolean(false);
        MensagemStatus status = status(data.path("status").asString(""), null);
        if (status == null) {
            throw new PoisonedWebhook("messages.update with an unknown status " + data.path("status"));
        }
        try (PreparedStatement p = c.prepareStatement(UPDATE_STATUS)) {
            p.setString(1, status.name());
            p.setShort(2, (short) status.rank());
            p.setString(3, row.empresaId());
            p.setString(4, instance);
            p.setString(5, keyId);
            p.setBoolean(6, fromMe);
            p.setShort(7, (short) status.rank());
            try (ResultSet r = p.executeQuery()) {
                // a receipt for a mensagem not stored (or already further on) changes nothing, as in the original
                if (!r.next()) {
                    return null;
                }
                ObjectNode payload = Json.MAPPER.createObjectNode();
                payload.put("conversaId", r.getString(2));
                payload.put("mensagemId", r.getString(1));
                payload.put("keyId", keyId);
                payload.put("fromMe", fromMe);
                payload.put("status", status.name());
                payload.put("previousStatus", r.getString(3));
                return event(row, "message_status", payload);
            }
        }
    }

    private static Event event(Claimed row, String type, Object data) {
        String id = "pgq-" + row.id();
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", type);
        frame.put("channel", "empresa:" + row.empresaId());
        frame.put("id", id);
        frame.set("data", Json.embed(data));
        // the queue id only grows in the order webhooks were acknowledged, as chat-central's position does
        frame.put("position", row.id());
        frame.put("ts", Instant.now().toString());
        return new Event(id, row.empresaId(), Json.MAPPER.writeValueAsString(frame));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isString() || value.asString().isEmpty()) {
            throw new PoisonedWebhook("no string " + field + " in " + abbreviate(node.toString()));
        }
        return value.asString();
    }

    private static MensagemStatus status(String name, MensagemStatus otherwise) {
        try {
            return name.isEmpty() ? otherwise : MensagemStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            return otherwise;
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
