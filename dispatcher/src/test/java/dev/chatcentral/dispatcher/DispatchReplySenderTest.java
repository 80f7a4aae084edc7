package dev.chatcentral.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.serde.Json;

/** The sendText request and how answers are read, and the guards that need no broker: pace, unretried timeouts. */
class DispatchReplySenderTest {

    private static final String SENT = "{\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":true,"
            + "\"id\":\"3EB0C767D097B7C7C030\"},\"status\":\"PENDING\"}";

    private HttpServer evolution;
    private final AtomicLong delayMs = new AtomicLong();
    private final List<Long> callTimes = new CopyOnWriteArrayList<>();
    private final List<String> apikeys = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeEvolution() throws IOException {
        evolution = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evolution.setExecutor(Executors.newCachedThreadPool());
        evolution.createContext("/message/sendText/", exchange -> {
            callTimes.add(System.nanoTime());
            apikeys.add(exchange.getRequestHeaders().getFirst("apikey"));
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMs.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = SENT.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        evolution.start();
    }

    @AfterEach
    void stopFakeEvolution() {
        evolution.stop(0);
    }

    @Test
    void shouldWriteTheSendTextBodyWithTheQuotedMessage() {
        JsonNode quoted = Json.MAPPER.readTree(EvolutionClient.body(new OutboundMessage("c", "u", "m", "v", "emp-1",
                "loja-01", "5511988887777", "Sim! Entregamos até 18h.", "3A5F0B6C1D2E3F405162",
                "Oi, vocês entregam hoje?")));
        JsonNode plain = Json.MAPPER.readTree(EvolutionClient.body(new OutboundMessage("c", "u", "m", "v", "emp-1",
                "loja-01", "120363025246125888@g.us", "Bom dia", null, null)));

        assertThat(quoted).isEqualTo(Json.MAPPER.readTree("{\"number\":\"5511988887777\",\"text\":\"Sim! Entregamos "
                + "até 18h.\",\"quoted\":{\"key\":{\"id\":\"3A5F0B6C1D2E3F405162\"},\"message\":{\"conversation\":"
                + "\"Oi, vocês entregam hoje?\"}}}"));
        assertThat(plain).isEqualTo(Json.MAPPER.readTree("{\"number\":\"120363025246125888@g.us\",\"text\":\"Bom dia\"}"));
    }

    @Test
    void shouldReadEvolutionsAnswers() {
        assertThat(EvolutionClient.answer(201, SENT, "5511988887777").keyId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(EvolutionClient.answer(201, "{}", "5511988887777"))
                .satisfies(c -> assertThat(c.kind()).isEqualTo(EvolutionCall.Kind.SENT))
                .satisfies(c -> assertThat(c.detail()).contains("without key.id"));
        assertThat(EvolutionClient.answer(400, "{\"status\":400,\"error\":\"Bad Request\",\"response\":{\"message\":"
                + "[{\"jid\":\"55119@s.whatsapp.net\",\"exists\":false,\"number\":\"55119\"}]}}", "55119").detail())
                .isEqualTo("number 55119 is not on WhatsApp");
        assertThat(EvolutionClient.answer(400, "not json", "55119").detail()).contains("400", "not json");
        assertThat(EvolutionClient.answer(401, "", "55119").kind()).isEqualTo(EvolutionCall.Kind.UNAUTHORIZED);
        assertThat(EvolutionClient.answer(404, "", "55119").kind()).isEqualTo(EvolutionCall.Kind.REJECTED);
        assertThat(EvolutionClient.answer(429, "", "55119").kind()).isEqualTo(EvolutionCall.Kind.SERVER_ERROR);
        assertThat(EvolutionClient.answer(503, "", "55119").kind()).isEqualTo(EvolutionCall.Kind.SERVER_ERROR);
    }

    @Test
    void shouldNotRetryATimeoutWhenRetryingTimeoutsIsOff() {
        delayMs.set(800);
        ReplySender sender = sender(false, new DispatcherProperties.RateLimit(100, Duration.ofSeconds(1)));

        Delivery delivery = sender.send(message("loja-01"), new LaneBudget(Duration.ZERO));

        assertThat(delivery.sent()).isFalse();
        assertThat(delivery.outcome()).isEqualTo("no_answer");
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.error()).contains("no answer from Evolution within 300 ms", "retry.timeouts=false");
        assertThat(callTimes).hasSize(1);
    }

    @Test
    void shouldPaceTheCallsOfOneInstanceAndAuthorizeWithTheGlobalKey() {
        ReplySender sender = sender(true, new DispatcherProperties.RateLimit(2, Duration.ofMillis(600)));

        for (int i = 0; i < 5; i++) {
            assertThat(sender.send(message("loja-01"), new LaneBudget(Duration.ZERO)).sent()).isTrue();
        }
        long beforeOther = System.nanoTime();
        assertThat(sender.send(message("loja-02"), new LaneBudget(Duration.ZERO)).sent()).isTrue();

        // two permits per 600 ms: the fifth call of loja-01 is two periods after the first's, at least 600 ms later
        assertThat(Duration.ofNanos(callTimes.get(4) - callTimes.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        // another instance has its own pace: no wait
        assertThat(Duration.ofNanos(callTimes.get(5) - beforeOther)).isLessThan(Duration.ofMillis(300));
        assertThat(apikeys).containsOnly("global-key");
    }

    private ReplySender sender(boolean retryTimeouts, DispatcherProperties.RateLimit rateLimit) {
        DispatcherProperties properties = new DispatcherProperties("g", 1, 20, 4,
                URI.create("http://127.0.0.1:" + evolution.getAddress().getPort()), "global-key",
                Duration.ofSeconds(1), Duration.ofMillis(300),
                new DispatcherProperties.Retry(3, Duration.ofMillis(50), 2.0, Duration.ofMillis(100), retryTimeouts),
                new DispatcherProperties.Circuit(10, 5, 50, Duration.ofSeconds(30), 1, Duration.ZERO),
                rateLimit, Duration.ofSeconds(5));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EvolutionClient client = new EvolutionClient(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build(), properties.evolutionUrl(), properties.evolutionApikey(),
                properties.callTimeout());
        return new ReplySender(client, new InstanceGuards(properties, meters), properties, meters);
    }

    private static OutboundMessage message(String instance) {
        return new OutboundMessage("c", "u", "m", "v", "emp-1", instance, "5511988887777", "Oi", null, null);
    }
}
