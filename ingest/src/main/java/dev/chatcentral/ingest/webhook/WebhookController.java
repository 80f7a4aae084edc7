package dev.chatcentral.ingest.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

import dev.chatcentral.ingest.IngestProperties;
import dev.chatcentral.ingest.directory.EmpresaDirectory;
import dev.chatcentral.ingest.auth.WebhookAuthenticator;
import dev.chatcentral.ingest.kafka.WebhookPublisher;
import dev.chatcentral.ingest.metrics.WebhookMetrics;
import dev.chatcentral.ingest.ratelimit.BytesInFlight;
import dev.chatcentral.ingest.ratelimit.EmpresaRateLimiter;
import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.service.logging.LogContext;

/**
 * The webhook Evolution API calls, in both its forms: {@code /webhooks/evolution/{empresaId}} and the by-events
 * form with the event name appended. The answers follow Evolution's retry rules: 2xx only once Kafka holds the
 * event; 429 and 503, which Evolution retries, when this empresa sends too fast or Kafka cannot take the write;
 * 4xx that Evolution does not retry (400, 401, 403, 415) only for requests that can never succeed. 413 is the
 * exception: Evolution retries it, uselessly, but a body over the limit must still be refused with the status
 * that names the problem.
 *
 * <p>The request thread only reads and checks the request; the answer is sent when the broker acknowledges.
 */
@RestController
public class WebhookController {

    static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** Bodies up to this many times the limit are drained before answering 413. */
    private static final long DRAIN_FACTOR = 4;

    private final WebhookAuthenticator authenticator;
    private final EmpresaDirectory directory;
    private final EmpresaRateLimiter rateLimiter;
    private final BytesInFlight bytesInFlight;
    private final WebhookPublisher publisher;
    private final WebhookMetrics metrics;
    private final long maxBodyBytes;

    public WebhookController(WebhookAuthenticator authenticator, EmpresaDirectory directory,
                             EmpresaRateLimiter rateLimiter, BytesInFlight bytesInFlight,
                             WebhookPublisher publisher, WebhookMetrics metrics, IngestProperties properties) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.rateLimiter = rateLimiter;
        this.bytesInFlight = bytesInFlight;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxBodyBytes = properties.maxBodySize().toBytes();
    }

    @PostMapping({"/webhooks/evolution/{empresaId}", "/webhooks/evolution/{empresaId}/{eventSuffix}"})
    public CompletableFuture<ResponseEntity<Map<String, Object>>> receive(
            @PathVariable String empresaId,
            @PathVariable(required = false) String eventSuffix,
            HttpServletRequest request) {
        try (LogContext logContext = LogContext.open().put(LogContext.EMPRESA_ID, empresaId)) {
            long startNanos = System.nanoTime();
            long receivedAt = System.currentTimeMillis();
            BytesInFlight.Claim claim = bytesInFlight.claim(empresaId);
            Outcome outcome = check(empresaId, eventSuffix, request, claim);
            CompletableFuture<ResponseEntity<Map<String, Object>>> answer;
            if (outcome.refusal() != null) {
                metrics.reject((String) outcome.refusal().getBody().get("error"));
                answer = CompletableFuture.completedFuture(outcome.refusal());
            } else {
                String correlationId = UUID.randomUUID().toString();
                logContext.put(LogContext.CORRELATION_ID, correlationId);
                answer = publisher.publish(empresaId, outcome.webhook(), correlationId, receivedAt)
                        .handle((ok, error) -> error == null
                                ? ResponseEntity.ok().header(CORRELATION_HEADER, correlationId)
                                        .body(Map.<String, Object>of("status", "accepted", "correlationId",
                                                correlationId))
                                : refusalOf(error, correlationId));
            }
            String event = outcome.webhook() == null ? null : outcome.webhook().webhook().event();
            return answer.whenComplete((response, error) -> {
                claim.close();
                metrics.record(event, response.getStatusCode().value(),
                        java.time.Duration.ofNanos(System.nanoTime() - startNanos));
            });
        }
    }

    /** A webhook the broker did not take: 503 to retry, or 413 when it can never fit its topic. */
    private ResponseEntity<Map<String, Object>> refusalOf(Throwable error, String correlationId) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof WebhookPublisher.TooLargeException tooLarge) {
            metrics.reject("too_large");
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(CORRELATION_HEADER, correlationId)
                    .body(Map.of("error", "too_large", "reason", tooLarge.getMessage()));
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .header(CORRELATION_HEADER, correlationId)
                .body(Map.of("error", "unavailable", "reason", rootMessage(error)));
    }

    /** Either a refusal to send at once, or the parsed webhook with its media split off. */
    private record Outcome(ResponseEntity<Map<String, Object>> refusal, InlineMedia webhook) {
        static Outcome refuse(ResponseEntity<Map<String, Object>> refusal) {
            return new Outcome(refusal, null);
        }
    }

    private Outcome check(String empresaId, String eventSuffix, HttpServletRequest request,
                          BytesInFlight.Claim claim) {
        Optional<String> unauthenticated = authenticator.authenticate(empresaId,
                request.getHeader(HttpHeaders.AUTHORIZATION));
        // the refusals below come before the body is read: the connection is closed rather than the body read
        // (to keep the connection open Tomcat would swallow it, up to 64 MB, for a request that is refused anyway)
        if (unauthenticated.isPresent()) {
            return Outcome.refuse(ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .header(HttpHeaders.CONNECTION, "close")
                    .body(Map.of("error", "unauthorized", "reason", unauthenticated.get())));
        }
        if (!rateLimiter.tryAcquire(empresaId)) {
            return Outcome.refuse(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(rateLimiter.retryAfter().toSeconds()))
                    .header(HttpHeaders.CONNECTION, "close")
                    .body(Map.of("error", "rate_limited", "reason", "empresa '" + empresaId + "' sends more than "
                            + "its configured rate of webhooks per second")));
        }
        String contentType = request.getContentType();
        if (!isJson(contentType)) {
            return refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type must be application/json, was " + (contentType == null ? "absent" : contentType));
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes * DRAIN_FACTOR) {
            return tooLarge(true);
        }
        // a declared body is claimed before it is read; one without a length is claimed as it arrives
        BytesInFlight.Refusal overLimit = declared > 0 ? claim.add(Math.min(declared, maxBodyBytes)) : null;
        if (overLimit != null) {
            return tooMuchInFlight(overLimit, empresaId);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            // read one byte past the limit to tell "exactly the limit" from "over it" without a Content-Length
            body = declared > 0 ? in.readNBytes((int) maxBodyBytes + 1) : readClaiming(in, claim);
            if (body.length > maxBodyBytes) {
                return tooLarge(!drain(in, maxBodyBytes * DRAIN_FACTOR));
            }
        } catch (IOException e) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "cannot read the body: " + e.getMessage());
        } catch (BytesInFlightException e) {
            return tooMuchInFlight(e.refusal, empresaId);
        }
        metrics.recordBody(body.length);
        if (body.length == 0) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "empty body");
        }
        EvolutionWebhook webhook;
        try {
            webhook = Json.MAPPER.readValue(body, EvolutionWebhook.class);
        } catch (JacksonException e) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "body is not a webhook envelope: "
                    + e.getOriginalMessage());
        }
        if (webhook == null || isBlank(webhook.event()) || isBlank(webhook.instance())) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "the fields 'event' and 'instance' are required");
        }
        if (eventSuffix != null
                && !eventSuffix.toLowerCase(Locale.ROOT).equals(EvolutionEvent.urlSuffix(webhook.event()))) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", "URL names event '" + eventSuffix
                    + "' but the body carries '" + webhook.event() + "'");
        }
        if (!directory.ownsInstance(empresaId, webhook.instance())) {
            return refuse(HttpStatus.FORBIDDEN, "foreign_instance",
                    "instance '" + webhook.instance() + "' does not belong to empresa '" + empresaId + "'");
        }
        try {
            return new Outcome(null, InlineMedia.detach(webhook.withoutApikey()));
        } catch (InlineMedia.InvalidMediaException e) {
            return refuse(HttpStatus.BAD_REQUEST, "invalid_webhook", e.getMessage());
        }
    }

    /**
     * A body somewhat over the limit is read to its end, so the client surely receives the answer (closing a
     * connection with unread input resets it); a far larger one is not worth reading: the connection is closed.
     */
    private Outcome tooLarge(boolean closeConnection) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE);
        if (closeConnection) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return Outcome.refuse(response.body(Map.of("error", "too_large",
                "reason", "body exceeds the limit of " + maxBodyBytes + " bytes")));
    }

    /**
     * Reads a body of unknown length (chunked) in pieces, claiming each before it is kept, up to one byte past the
     * limit.
     */
    private byte[] readClaiming(InputStream in, BytesInFlight.Claim claim) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] piece = new byte[64 * 1024];
        int read;
        while (body.size() <= maxBodyBytes
                && (read = in.read(piece, 0, (int) Math.min(piece.length, maxBodyBytes + 1 - body.size()))) >= 0) {
            BytesInFlight.Refusal refusal = claim.add(read);
            if (refusal != null) {
                throw new BytesInFlightException(refusal);
            }
            body.write(piece, 0, read);
        }
        return body.toByteArray();
    }

    /** A piece of a chunked body would cross a bound: the request is refused before it is read further. */
    private static final class BytesInFlightException extends RuntimeException {
        private final BytesInFlight.Refusal refusal;

        BytesInFlightException(BytesInFlight.Refusal refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }
    }

    /**
     * Too many bytes held: the empresa's own share (429: its other requests are in flight) or the node's (503).
     * Either way Evolution retries, and the body is not read: the connection is closed.
     */
    private Outcome tooMuchInFlight(BytesInFlight.Refusal refusal, String empresaId) {
        boolean empresa = refusal == BytesInFlight.Refusal.EMPRESA;
        return Outcome.refuse(ResponseEntity.status(empresa ? HttpStatus.TOO_MANY_REQUESTS
                        : HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .header(HttpHeaders.CONNECTION, "close")
                .body(Map.of("error", empresa ? "too_many_bytes_in_flight" : "overloaded",
                        "reason", empresa ? "empresa '" + empresaId + "' has its share of webhook bytes in flight; "
                                + "retry when some are answered"
                                : "the node holds all the webhook bytes it may; retry shortly")));
    }

    /** Reads and drops up to {@code limit} bytes; true if the input ended within them. */
    private static boolean drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while (total < limit && (read = in.read(buffer)) >= 0) {
            total += read;
        }
        return total < limit;
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

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (!(cause instanceof WebhookPublisher.NotAcknowledgedException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private static Outcome refuse(HttpStatus status, String error, String reason) {
        return Outcome.refuse(ResponseEntity.status(status).body(Map.of("error", error, "reason", reason)));
    }
}
