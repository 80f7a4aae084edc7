package dev.chatcentral.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.serde.Json;

/**
 * The requests of each kind and how answers are read, and what needs no broker: pace, unanswered calls and the lookup
 * after them, the open circuit.
 */
class DispatchReplySenderTest {

    private static final String SENT = "{\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":true,"
            + "\"id\":\"3EB0C767D097B7C7C030\"},\"status\":\"PENDING\"}";

    private static final DispatcherProperties.Circuit CIRCUIT =
            new DispatcherProperties.Circuit(10, 5, 50, Duration.ofSeconds(30), 1, Duration.ZERO);

    private HttpServer evolution;
    private final AtomicLong delayMs = new AtomicLong();
    private final List<Long> callTimes = new CopyOnWriteArrayList<>();
    private final List<String> apikeys = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> found = new AtomicReference<>("{\"messages\":{\"records\":[]}}");
    private final AtomicLong findDelayMs = new AtomicLong();
    private final AtomicInteger sendStatus = new AtomicInteger(201);
    private final AtomicInteger findStatus = new AtomicInteger(200);

    @BeforeEach
    void startFakeEvolution() throws IOException {
        evolution = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evolution.setExecutor(Executors.newCachedThreadPool());
        for (String path : List.of("/message/sendText/", "/message/sendReaction/", "/chat/deleteMessageForEveryone/")) {
            evolution.createContext(path, exchange -> {
                callTimes.add(System.nanoTime());
                apikeys.add(exchange.getRequestHeaders().getFirst("apikey"));
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer(exchange, delayMs.get(), sendStatus.get(), SENT);
            });
        }
        evolution.createContext("/chat/findMessages/", exchange -> {
            apikeys.add(exchange.getRequestHeaders().getFirst("apikey"));
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, findDelayMs.get(), findStatus.get(), found.get());
        });
        evolution.start();
    }

    private static void answer(HttpExchange exchange, long delay, int status, String answer) throws IOException {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
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
        OutboundMessage reply = message("loja-01");
        OutboundMessage reaction = reaction("loja-01", "👍");
        assertThat(EvolutionClient.answer(201, SENT, reply).keyId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(EvolutionClient.answer(201, SENT, reaction).keyId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(EvolutionClient.answer(400, "{}", reaction).kind()).isEqualTo(EvolutionCall.Kind.REJECTED);
        assertThat(EvolutionClient.answer(201, "{}", reply))
                .satisfies(c -> assertThat(c.kind()).isEqualTo(EvolutionCall.Kind.SENT))
                .satisfies(c -> assertThat(c.detail()).contains("without key.id"));
        assertThat(EvolutionClient.answer(400, "{\"status\":400,\"error\":\"Bad Request\",\"response\":{\"message\":"
                + "[{\"jid\":\"5511988887777@s.whatsapp.net\",\"exists\":false,\"number\":\"5511988887777\"}]}}",
                reply).detail()).isEqualTo("number 5511988887777 is not on WhatsApp");
        assertThat(EvolutionClient.answer(400, "not json", reply).detail()).contains("400", "not json");
        assertThat(EvolutionClient.answer(401, "", reply).kind()).isEqualTo(EvolutionCall.Kind.UNAUTHORIZED);
        assertThat(EvolutionClient.answer(404, "", reply).kind()).isEqualTo(EvolutionCall.Kind.REJECTED);
        assertThat(EvolutionClient.answer(429, "", reply).kind()).isEqualTo(EvolutionCall.Kind.SERVER_ERROR);
        assertThat(EvolutionClient.answer(503, "", reply).kind()).isEqualTo(EvolutionCall.Kind.SERVER_ERROR);
    }

    @Test
    void shouldBeUnconfirmedNotFailedWhenAnUnansweredReplyIsNotFoundInEvolution() {
        delayMs.set(800);
        ReplySender sender = sender(false, CIRCUIT);

        Delivery delivery = sender.send(message("loja-01"), new LaneBudget(Duration.ZERO));

        assertThat(delivery.status()).isEqualTo(OutboundResult.UNCONFIRMED);
        assertThat(delivery.reason()).isEqualTo("no_answer");
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.error()).isEqualTo(
                "Evolution did not answer within 300 ms; WhatsApp may have received the reply: waiting for evidence");
        assertThat(callTimes).hasSize(1);
        assertThat(requests).last().isEqualTo("POST /chat/findMessages/loja-01 {\"where\":{\"key\":{\"remoteJid\":"
                + "\"5511988887777@s.whatsapp.net\",\"fromMe\":true}},\"offset\":20,\"page\":1}");
        assertThat(apikeys).containsOnly("global-key");
    }

    @Test
    void shouldBeSentWithTheFoundKeyIdWhenAnUnansweredReplyIsFoundInEvolution() {
        delayMs.set(800);
        found.set(records(record("3EB0FOUND", "Oi", Instant.now().getEpochSecond())));
        ReplySender sender = sender(false, CIRCUIT);

        Delivery delivery = sender.send(message("loja-01"), new LaneBudget(Duration.ZERO));

        assertThat(delivery.status()).isEqualTo(OutboundResult.SENT);
        assertThat(delivery.keyId()).isEqualTo("3EB0FOUND");
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(callTimes).hasSize(1);
    }

    @Test
    void shouldStayUnconfirmedWhenTheLookupItselfGetsNoAnswerOrNonsense() {
        delayMs.set(800);
        findDelayMs.set(800);
        found.set(records(record("3EB0FOUND", "Oi", Instant.now().getEpochSecond())));
        ReplySender sender = sender(false, CIRCUIT);

        assertThat(sender.send(message("loja-01"), new LaneBudget(Duration.ZERO)).status())
                .isEqualTo(OutboundResult.UNCONFIRMED);
        findDelayMs.set(0);
        found.set("<html>502 Bad Gateway</html>");
        assertThat(sender.send(message("loja-01"), new LaneBudget(Duration.ZERO)).status())
                .isEqualTo(OutboundResult.UNCONFIRMED);
        // a refusal that still carries the record is no evidence either
        found.set(records(record("3EB0FOUND", "Oi", Instant.now().getEpochSecond())));
        findStatus.set(404);
        assertThat(sender.send(message("loja-01"), new LaneBudget(Duration.ZERO)).status())
                .isEqualTo(OutboundResult.UNCONFIRMED);
    }

    @Test
    void shouldLeaveAnUnansweredReactionOrDeletionUnconfirmedWithoutALookup() {
        delayMs.set(800);
        found.set(records(record("3EB0FOUND", "👍", Instant.now().getEpochSecond())));
        ReplySender sender = sender(false, CIRCUIT);

        Delivery reaction = sender.send(reaction("loja-01", "👍"), new LaneBudget(Duration.ZERO));
        Delivery deletion = sender.send(deletion("loja-01"), new LaneBudget(Duration.ZERO));

        assertThat(reaction.status()).isEqualTo(OutboundResult.UNCONFIRMED);
        assertThat(reaction.reason()).isEqualTo("no_answer");
        assertThat(reaction.error()).endsWith("WhatsApp may have received the reaction: waiting for evidence");
        assertThat(deletion.status()).isEqualTo(OutboundResult.UNCONFIRMED);
        assertThat(deletion.error()).endsWith("WhatsApp may have received the deletion: waiting for evidence");
        assertThat(requests).noneMatch(r -> r.contains("findMessages"));
    }

    @Test
    void shouldSettleAnUnknownOutcomeByLookingTheReplyUpAndNeverCallingAgain() {
        Instant startedAt = Instant.now().minusSeconds(60);
        found.set(records(record("3EB0FOUND", "Oi", startedAt.getEpochSecond() + 1)));
        ReplySender sender = sender(false, CIRCUIT);

        Delivery reply = sender.settleUnknown(message("loja-01"), startedAt);
        found.set(records());
        Delivery notFound = sender.settleUnknown(message("loja-01"), startedAt);
        Delivery reaction = sender.settleUnknown(reaction("loja-01", ""), startedAt);

        assertThat(reply.status()).isEqualTo(OutboundResult.SENT);
        assertThat(reply.keyId()).isEqualTo("3EB0FOUND");
        assertThat(notFound.status()).isEqualTo(OutboundResult.UNCONFIRMED);
        assertThat(notFound.reason()).isEqualTo("unknown_outcome");
        assertThat(notFound.error()).isEqualTo("outcome unknown after a dispatcher restart; WhatsApp may have "
                + "received the reply: waiting for evidence");
        assertThat(reaction.reason()).isEqualTo("unknown_outcome");
        assertThat(callTimes).isEmpty();
        assertThat(requests).hasSize(2);
    }

    @Test
    void shouldFailAsInstanceUnavailableWithNoAttemptAndAFutureRetryAtWhenTheOpenCircuitAllowsNoCall() {
        sendStatus.set(500);
        ReplySender sender = sender(false, new DispatcherProperties.Circuit(2, 2, 50, Duration.ofSeconds(30), 1,
                Duration.ofMillis(100)));
        Instant beforeOpening = Instant.now();

        Delivery opening = sender.send(message("loja-01"), new LaneBudget(Duration.ZERO));
        Delivery cutOff = sender.send(message("loja-01"), new LaneBudget(Duration.ofMillis(100)));
        sendStatus.set(201);
        Delivery elsewhere = sender.send(message("loja-02"), new LaneBudget(Duration.ZERO));

        // calls were made: the outcome it had before, with its code
        assertThat(opening.status()).isEqualTo(OutboundResult.FAILED);
        assertThat(opening.reason()).isEqualTo("retries_exhausted");
        assertThat(opening.attempts()).isEqualTo(2);
        assertThat(opening.error()).contains("circuit open", "after 2 calls");
        assertThat(cutOff.status()).isEqualTo(OutboundResult.FAILED);
        assertThat(cutOff.reason()).isEqualTo(OutboundResult.INSTANCE_UNAVAILABLE);
        assertThat(cutOff.attempts()).isZero();
        assertThat(cutOff.retryAt()).isAfter(Instant.now())
                .isBetween(beforeOpening.plusSeconds(30), Instant.now().plusSeconds(30));
        assertThat(cutOff.error()).matches("WhatsApp number loja-01 is unavailable \\(2 failures in a row\\); not sent;"
                + " try again after \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(elsewhere.sent()).isTrue();
        assertThat(callTimes).hasSize(3);
    }

    @Test
    void shouldSendAReactionAndADeletionWithTheirOwnRequests() {
        ReplySender sender = sender(false, CIRCUIT);

        Delivery reaction = sender.send(reaction("loja-01", "👍"), new LaneBudget(Duration.ZERO));
        Delivery removal = sender.send(reaction("loja-01", ""), new LaneBudget(Duration.ZERO));
        Delivery deletion = sender.send(deletion("loja-01"), new LaneBudget(Duration.ZERO));

        assertThat(List.of(reaction, removal, deletion)).allSatisfy(d -> {
            assertThat(d.sent()).isTrue();
            assertThat(d.keyId()).isEqualTo("3EB0C767D097B7C7C030");
            assertThat(d.attempts()).isEqualTo(1);
        });
        assertThat(requests).containsExactly(
                "POST /message/sendReaction/loja-01 {\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\","
                        + "\"fromMe\":false,\"id\":\"3A5F0B6C1D2E3F405162\"},\"reaction\":\"👍\"}",
                "POST /message/sendReaction/loja-01 {\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\","
                        + "\"fromMe\":false,\"id\":\"3A5F0B6C1D2E3F405162\"},\"reaction\":\"\"}",
                "DELETE /chat/deleteMessageForEveryone/loja-01 {\"id\":\"3EB0AAAABBBBCCCCDDDD\",\"remoteJid\":"
                        + "\"120363025246125888@g.us\",\"fromMe\":true,"
                        + "\"participant\":\"5511977776666@s.whatsapp.net\"}");
    }

    @Test
    void shouldRetryAReactionOn5xxButNeverOn4xx() {
        ReplySender sender = sender(false, CIRCUIT);
        sendStatus.set(503);

        Delivery retried = sender.send(reaction("loja-01", "👍"), new LaneBudget(Duration.ZERO));
        sendStatus.set(404);
        Delivery refused = sender.send(deletion("loja-02"), new LaneBudget(Duration.ZERO));

        assertThat(retried.reason()).isEqualTo("retries_exhausted");
        assertThat(retried.attempts()).isEqualTo(3);
        assertThat(refused.reason()).isEqualTo("rejected");
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(callTimes).hasSize(4);
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
        return sender(retryTimeouts, rateLimit, CIRCUIT);
    }

    private ReplySender sender(boolean retryTimeouts, DispatcherProperties.Circuit circuit) {
        return sender(retryTimeouts, new DispatcherProperties.RateLimit(100, Duration.ofSeconds(1)), circuit);
    }

    private ReplySender sender(boolean retryTimeouts, DispatcherProperties.RateLimit rateLimit,
                               DispatcherProperties.Circuit circuit) {
        DispatcherProperties properties = new DispatcherProperties("g", 1, 20, 4,
                URI.create("http://127.0.0.1:" + evolution.getAddress().getPort()), "global-key",
                Duration.ofSeconds(1), Duration.ofMillis(300),
                new DispatcherProperties.Retry(3, Duration.ofMillis(50), 2.0, Duration.ofMillis(100), retryTimeouts),
                circuit, rateLimit, Duration.ofSeconds(5),
                new DispatcherProperties.Lookup(true, Duration.ofMillis(50), Duration.ofMillis(300),
                        Duration.ofSeconds(5)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EvolutionClient client = new EvolutionClient(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build(), properties.evolutionUrl(), properties.evolutionApikey(),
                properties.callTimeout());
        return new ReplySender(client, new InstanceGuards(properties, meters),
                new SentLookup(client, properties.lookup()), properties, meters);
    }

    static String records(String... records) {
        return "{\"messages\":{\"total\":" + records.length + ",\"pages\":1,\"currentPage\":1,\"records\":["
                + String.join(",", records) + "]}}";
    }

    static String record(String keyId, String text, long epochSeconds) {
        return "{\"id\":\"cm0" + keyId + "\",\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":true,"
                + "\"id\":\"" + keyId + "\"},\"message\":{\"conversation\":" + Json.MAPPER.writeValueAsString(text)
                + "},\"messageTimestamp\":" + epochSeconds + "}";
    }

    private static OutboundMessage reaction(String instance, String emoji) {
        return new OutboundMessage("c", "u", "m", "v", "emp-1", instance, "5511988887777", emoji, null, null,
                OutboundMessage.REACTION, new OutboundMessage.TargetKey("5511988887777@s.whatsapp.net", false,
                        "3A5F0B6C1D2E3F405162", null));
    }

    private static OutboundMessage deletion(String instance) {
        return new OutboundMessage("c", "u", "m", "v", "emp-1", instance, null, null, null, null,
                OutboundMessage.DELETE, new OutboundMessage.TargetKey("120363025246125888@g.us", true,
                        "3EB0AAAABBBBCCCCDDDD", "5511977776666@s.whatsapp.net"));
    }

    private static OutboundMessage message(String instance) {
        return new OutboundMessage("c", "u", "m", "v", "emp-1", instance, "5511988887777", "Oi", null, null);
    }
}
