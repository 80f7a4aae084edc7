package dev.chatcentral.simulator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

class WebhookSenderTest {

    private record Received(String path, String authorization, JsonNode body) {
    }

    private HttpServer ingest;
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final WebhookSender sender = new WebhookSender(HttpClient.newHttpClient(), 4, Duration.ofMillis(50),
            Duration.ofSeconds(5));

    @BeforeEach
    void startFakeIngest() throws IOException {
        ingest = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ingest.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), Json.MAPPER.readTree(body)));
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.poll();
            }
            byte[] answer = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        ingest.start();
    }

    @AfterEach
    void stopFakeIngest() {
        ingest.stop(0);
    }

    @Test
    void shouldRetryServiceUnavailableUntilTheIngestAccepts() throws Exception {
        answers.add(503);
        answers.add(503);
        URI url = WebhookSender.webhookUrl(ingestUrl(), "emp-1", "messages.upsert", false);

        Delivery delivery = sender.send(url, "s3cret", customerText()).get(10, TimeUnit.SECONDS);

        assertThat(delivery.accepted()).isTrue();
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(received).hasSize(3).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/webhooks/evolution/emp-1");
            assertThat(request.authorization()).isEqualTo("Bearer s3cret");
            assertThat(request.body().get("event").asString()).isEqualTo("messages.upsert");
            assertThat(request.body().get("destination").asString()).isEqualTo(url.toString());
        });
    }

    @Test
    void shouldNotRetryWhenTheIngestRejectsTheSecret() throws Exception {
        answers.add(401);
        URI url = WebhookSender.webhookUrl(ingestUrl(), "emp-1", "messages.upsert", false);

        Delivery delivery = sender.send(url, "wrong", customerText()).get(10, TimeUnit.SECONDS);

        assertThat(delivery.accepted()).isFalse();
        assertThat(delivery.status()).isEqualTo(401);
        assertThat(delivery.attempts()).isEqualTo(1);
        Thread.sleep(200);
        assertThat(received).hasSize(1);
    }

    @Test
    void shouldRetryTooManyRequestsAndGiveUpAfterMaxAttempts() throws Exception {
        answers.addAll(List.of(429, 429, 429, 429, 429));
        URI url = WebhookSender.webhookUrl(ingestUrl(), "emp-1", "messages.upsert", false);

        Delivery delivery = sender.send(url, "s3cret", customerText()).get(10, TimeUnit.SECONDS);

        assertThat(delivery.status()).isEqualTo(429);
        assertThat(delivery.attempts()).isEqualTo(4);
        assertThat(received).hasSize(4);
    }

    @Test
    void shouldReportNoResponseWhenNothingListens() throws Exception {
        URI url = WebhookSender.webhookUrl(ingestUrl(), "emp-1", "messages.upsert", false);
        ingest.stop(0);

        Delivery delivery = sender.send(url, "s3cret", customerText()).get(10, TimeUnit.SECONDS);

        assertThat(delivery.status()).isEqualTo(Delivery.NO_RESPONSE);
        assertThat(delivery.attempts()).isEqualTo(4);
        assertThat(delivery.detail()).contains("ConnectException");
    }

    @Test
    void shouldAppendTheEventToTheUrlWhenConfiguredByEvents() {
        URI url = WebhookSender.webhookUrl(URI.create("http://localhost:8081/"), "emp 1", "messages.upsert", true);

        assertThat(url).hasToString("http://localhost:8081/webhooks/evolution/emp%201/messages-upsert");
    }

    @Test
    void shouldLeaveTheCallersEnvelopeUnchanged() throws Exception {
        var envelope = customerText();

        sender.send(WebhookSender.webhookUrl(ingestUrl(), "emp-1", "messages.upsert", false), "s3cret", envelope)
                .get(10, TimeUnit.SECONDS);

        assertThat(envelope.get("destination").isNull()).isTrue();
    }

    private URI ingestUrl() {
        return URI.create("http://127.0.0.1:" + ingest.getAddress().getPort());
    }

    private static tools.jackson.databind.node.ObjectNode customerText() {
        return EvolutionPayloads.customerText("loja-01", "5511988887777", "Maria Silva", "Oi, tudo bem?",
                EvolutionPayloads.newKeyId(), 1761057639L);
    }
}
