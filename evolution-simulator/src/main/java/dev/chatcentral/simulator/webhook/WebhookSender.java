package dev.chatcentral.simulator.webhook;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.serde.Json;

/**
 * Posts webhook envelopes the way Evolution API does (reference/evolution-api.md, "Delivery semantics"):
 * {@code Authorization: Bearer <secret>}, any 2xx is delivered, 400/401/403/404/422 are final, every other status
 * and every network error is retried with doubling waits and 20% jitter, then the event is dropped. Evolution waits
 * 5 s, 10 s, 20 s...; here the first wait is configurable so tests and demos need not wait that long.
 * Sends are asynchronous and concurrent, so a retried webhook may land after newer ones, as with Evolution.
 */
public class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Set<Integer> FINAL_FAILURES = Set.of(400, 401, 403, 404, 422);
    /** Evolution's longest wait (300 s) is sixty times its first (5 s). */
    private static final int MAX_BACKOFF_FACTOR = 60;

    private final HttpClient http;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration requestTimeout;

    public WebhookSender(HttpClient http, int maxAttempts, Duration initialBackoff, Duration requestTimeout) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.http = http;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The URL Evolution posts an empresa's webhooks to: {@code <ingest>/webhooks/evolution/<empresaId>}, plus the
     * event as a path suffix ({@code /messages-upsert}) when the webhook is configured {@code byEvents}.
     */
    public static URI webhookUrl(URI ingestUrl, String empresaId, String event, boolean byEvents) {
        String base = ingestUrl.toString().replaceAll("/+$", "");
        String url = base + "/webhooks/evolution/" + URLEncoder.encode(empresaId, StandardCharsets.UTF_8)
                .replace("+", "%20");
        return URI.create(byEvents ? url + "/" + EvolutionEvent.urlSuffix(event) : url);
    }

    /**
     * Posts {@code envelope} to {@code url} with the empresa's webhook secret, retrying as Evolution would. The
     * future never fails: the returned {@link Delivery} says how it ended. The caller's envelope is not changed.
     */
    public CompletableFuture<Delivery> send(URI url, String secret, ObjectNode envelope) {
        ObjectNode addressed = envelope.deepCopy();
        addressed.put("destination", url.toString());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(addressed)))
                .build();
        String what = addressed.path("event").asString() + " of " + addressed.path("instance").asString();
        return attempt(request, what, 1);
    }

    private CompletableFuture<Delivery> attempt(HttpRequest request, String what, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> response != null
                        ? new Delivery(response.statusCode(), attempt, response.body())
                        : new Delivery(Delivery.NO_RESPONSE, attempt, describe(failure)))
                .thenCompose(delivery -> next(request, what, delivery));
    }

    private CompletableFuture<Delivery> next(HttpRequest request, String what, Delivery delivery) {
        if (delivery.accepted()) {
            log.debug("{} delivered to {} ({})", what, request.uri(), delivery.status());
            return CompletableFuture.completedFuture(delivery);
        }
        if (FINAL_FAILURES.contains(delivery.status())) {
            log.warn("{} refused by {} with {}, not retried: {}", what, request.uri(), delivery.status(),
                    delivery.detail());
            return CompletableFuture.completedFuture(delivery);
        }
        if (delivery.attempts() >= maxAttempts) {
            log.error("{} dropped after {} attempts to {}, last: {} {}", what, delivery.attempts(), request.uri(),
                    statusText(delivery), delivery.detail());
            return CompletableFuture.completedFuture(delivery);
        }
        long waitMillis = backoffMillis(delivery.attempts());
        log.warn("{} to {} failed ({}), attempt {} of {}, retrying in {} ms", what, request.uri(),
                statusText(delivery), delivery.attempts(), maxAttempts, waitMillis);
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> attempt(request, what, delivery.attempts() + 1));
    }

    /** Wait before attempt {@code failedAttempts + 1}: the first wait doubled per failure, capped, with 20% jitter. */
    long backoffMillis(int failedAttempts) {
        long base = initialBackoff.toMillis() * Math.min(1L << Math.min(failedAttempts - 1, 20), MAX_BACKOFF_FACTOR);
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Math.round(base * jitter);
    }

    private static String statusText(Delivery delivery) {
        return delivery.status() == Delivery.NO_RESPONSE ? "no response" : "HTTP " + delivery.status();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
