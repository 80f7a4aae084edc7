package dev.chatcentral.ingest.webhook;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

import dev.chatcentral.ingest.auth.EmpresaDirectory;
import dev.chatcentral.ingest.kafka.WebhookPublisher;
import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.serde.Json;

/**
 * The webhook Evolution API calls, in both its forms: {@code /webhooks/evolution/{empresaId}} and the by-events
 * form with the event name appended. The answer follows Evolution's retry rules: 2xx only once Kafka holds the
 * event, 503 (retried by Evolution) when Kafka could not take it, and 4xx only for requests that can never
 * succeed (Evolution does not retry 400, 401, 403).
 */
@RestController
public class WebhookController {

    static final String CORRELATION_HEADER = "X-Correlation-Id";

    private final EmpresaDirectory directory;
    private final WebhookPublisher publisher;

    public WebhookController(EmpresaDirectory directory, WebhookPublisher publisher) {
        this.directory = directory;
        this.publisher = publisher;
    }

    @PostMapping({"/webhooks/evolution/{empresaId}", "/webhooks/evolution/{empresaId}/{eventSuffix}"})
    public ResponseEntity<Map<String, Object>> receive(
            @PathVariable String empresaId,
            @PathVariable(required = false) String eventSuffix,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body) {
        long receivedAt = System.currentTimeMillis();
        String secret = bearerToken(authorization);
        if (secret == null) {
            return unauthorized("missing Authorization: Bearer <webhook secret>");
        }
        if (!directory.authenticate(empresaId, secret)) {
            // one answer for unknown empresa and wrong secret: the caller learns nothing about which empresas exist
            return unauthorized("unknown empresa or invalid webhook secret");
        }
        if (!isJson(contentType)) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type must be application/json, was " + (contentType == null ? "absent" : contentType));
        }
        if (body == null || body.length == 0) {
            return error(HttpStatus.BAD_REQUEST, "invalid_webhook", "empty body");
        }
        EvolutionWebhook webhook;
        try {
            webhook = Json.MAPPER.readValue(body, EvolutionWebhook.class);
        } catch (JacksonException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_webhook", "body is not a webhook envelope: "
                    + e.getOriginalMessage());
        }
        if (webhook == null || isBlank(webhook.event()) || isBlank(webhook.instance())) {
            return error(HttpStatus.BAD_REQUEST, "invalid_webhook", "the fields 'event' and 'instance' are required");
        }
        if (eventSuffix != null && !eventSuffix.toLowerCase(Locale.ROOT).equals(EvolutionEvent.urlSuffix(webhook.event()))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_webhook", "URL names event '" + eventSuffix
                    + "' but the body carries '" + webhook.event() + "'");
        }
        if (!directory.ownsInstance(empresaId, webhook.instance())) {
            return error(HttpStatus.FORBIDDEN, "foreign_instance",
                    "instance '" + webhook.instance() + "' does not belong to empresa '" + empresaId + "'");
        }
        String correlationId = UUID.randomUUID().toString();
        try {
            publisher.publish(empresaId, webhook.withoutApikey(), correlationId, receivedAt);
        } catch (WebhookPublisher.NotAcknowledgedException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .header(CORRELATION_HEADER, correlationId)
                    .body(Map.of("error", "unavailable", "reason", e.getMessage()));
        }
        return ResponseEntity.ok()
                .header(CORRELATION_HEADER, correlationId)
                .body(Map.of("status", "accepted", "correlationId", correlationId));
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) || "json".equals(type.getSubtypeSuffix());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static ResponseEntity<Map<String, Object>> unauthorized(String reason) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(Map.of("error", "unauthorized", "reason", reason));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String reason) {
        return ResponseEntity.status(status).body(Map.of("error", error, "reason", reason));
    }
}
