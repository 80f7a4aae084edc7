package dev.chatcentral.bench.peers.pgqueue;

import dev.chatcentral.schemas.serde.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The original design's webhook receiver: authenticate, check the body is a JSON webhook, one INSERT into the queue,
 * 200 once that commits (after a NOTIFY that wakes the workers). Everything else happens in the workers.
 */
@RestController
class WebhookEndpoint {

    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);

    private static final String ENQUEUE =
            "INSERT INTO webhook_queue (empresa_id, lane, payload) VALUES (?, ?, ?::jsonb) RETURNING id";
    /**
     * The workers' wake-up, in a transaction of its own after the INSERT's: a committing NOTIFY holds a lock that
     * serializes every notifying commit of the server, and inside the INSERT's transaction it would be held across
     * the WAL flush, one webhook at a time. Alone it writes no WAL and holds the lock for microseconds.
     */
    private static final String WAKE_WORKERS = "SELECT pg_notify('" + PgListener.QUEUE_CHANNEL + "', '')";

    private final WebhookSecrets secrets;
    private final DataSource database;
    private final long maxBodyBytes;

    WebhookEndpoint(WebhookSecrets secrets, PgQueuePeer.WebhookPool database, PeerSettings settings) {
        this.secrets = secrets;
        this.database = database.dataSource();
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    @PostMapping({"/webhooks/evolution/{empresaId}", "/webhooks/evolution/{empresaId}/{eventSuffix}"})
    ResponseEntity<Map<String, Object>> receive(@PathVariable String empresaId, HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String secret = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        if (!secrets.authenticates(empresaId, secret)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .header(HttpHeaders.CONNECTION, "close")
                    .body(Map.of("error", "unauthorized", "reason", "unknown empresa or invalid webhook secret"));
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type must be application/json, was " + (contentType == null ? "absent" : contentType));
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            return tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        } catch (IOException e) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "cannot read the body: " + e.getMessage());
        }
        if (body.length > maxBodyBytes) {
            return tooLarge();
        }
        if (body.length == 0) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "the body is empty");
        }
        JsonNode webhook;
        try {
            webhook = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (webhook == null || !webhook.isObject() || !webhook.path("event").isString()) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook",
                    "the body must be an Evolution webhook: a JSON object with a string \"event\"");
        }
        // Evolution's apikey is a secret, never stored; jsonb cannot hold U+0000: the character is dropped rather
        // than the customer's whole message
        boolean hasApikey = !webhook.path("apikey").isMissingNode() && !webhook.path("apikey").isNull();
        if (hasApikey) {
            ((ObjectNode) webhook).putNull("apikey");
        }
        boolean nul = containsEscapedNul(body);
        String payload = nul ? Json.MAPPER.writeValueAsString(withoutNul(webhook))
                : hasApikey ? Json.MAPPER.writeValueAsString(webhook) : new String(body, StandardCharsets.UTF_8);
        try (Connection c = database.getConnection()) {
            long id;
            try (PreparedStatement p = c.prepareStatement(ENQUEUE)) {
                p.setString(1, empresaId);
                p.setLong(2, Conversas.lane(empresaId, webhook));
                p.setString(3, payload);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    id = r.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement(WAKE_WORKERS)) {
                p.executeQuery().close();
            } catch (SQLException e) {
                // the webhook is queued: without the wake-up a worker takes it at its next interval
                log.warn("webhook {} queued, workers not woken: {}", id, e.getMessage());
            }
            return ResponseEntity.ok(Map.of("status", "accepted", "id", id));
        } catch (SQLException e) {
            // class 22 is bad data (an invalid Unicode escape jsonb refuses): retrying the same body cannot help
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "PostgreSQL refused the body: "
                        + e.getMessage());
            }
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                    .body(Map.of("error", "unavailable", "reason", "the queue did not take the webhook: "
                            + e.getMessage()));
        }
    }

    private ResponseEntity<Map<String, Object>> tooLarge() {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .body(Map.of("error", "too_large", "reason", "a webhook body is at most " + maxBodyBytes + " bytes"));
    }

    private static ResponseEntity<Map<String, Object>> refuse(HttpStatus status, String error, String reason) {
        return ResponseEntity.status(status).body(Map.of("error", error, "reason", reason));
    }

    private static boolean containsEscapedNul(byte[] body) {
        for (int i = 0; i + 5 < body.length; i++) {
            if (body[i] == '\\' && body[i + 1] == 'u' && body[i + 2] == '0' && body[i + 3] == '0'
                    && body[i + 4] == '0' && body[i + 5] == '0') {
                return true;
            }
        }
        return false;
    }

    private static JsonNode withoutNul(JsonNode node) {
        if (node.isString()) {
            return Json.MAPPER.getNodeFactory().stringNode(node.asString().replace("\0", ""));
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            node.properties().forEach(field -> copy.set(field.getKey().replace("\0", ""), withoutNul(field.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(withoutNul(element)));
            return copy;
        }
        return node;
    }
}
