package dev.chatcentral.gateway.realtime;

import static dev.chatcentral.gateway.testing.TestGateway.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * What one tenant, user or session may hold on a node (DESIGN.md invariant 8), on every transport: sessions per
 * user and per empresa, channels per session, channel ids of bounded length and characters.
 */
class TenantBoundsIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);
    /** How long a frame that must not arrive is given to show up anyway. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final int MAX_CHANNELS = 3;
    private static final int MAX_PER_USER = 2;
    private static final int MAX_PER_EMPRESA = 3;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static KafkaProducer<String, RealtimeEvent> producer;
    private static int port;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = TestGateway.start(kafka, database,
                "--chatcentral.gateway.session.max-channels=" + MAX_CHANNELS,
                "--chatcentral.gateway.session.max-connections-per-user=" + MAX_PER_USER,
                "--chatcentral.gateway.session.max-connections-per-empresa=" + MAX_PER_EMPRESA,
                "--chatcentral.gateway.realtime.poll-timeout=5s");
        port = TestGateway.port(gateway);
        producer = TestGateway.eventsProducer(kafka);
    }

    @AfterAll
    static void stop() {
        producer.close();
        gateway.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        await().atMost(WITHIN).until(() -> gateway.getBean(Sessions.class).size() == 0);
    }

    @Test
    void shouldRefuseConnectionsBeyondPerUserCapWith429OnEveryTransportAndGiveThePlaceBackOnClose() throws Exception {
        String empresa = "emp-user-cap";
        String token = AgentTokens.atendente("user-1", empresa);
        Counter refusals = registry().counter(RealtimeMetrics.REFUSED, "reason", "max_connections_per_user");
        double before = refusals.count();
        WebSocketTestClient first = ws("user-1", empresa);
        long position = poll(token, empresa, null).path("position").asLong();
        // a held long-poll takes a place like a WebSocket
        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> poll(token, empresa, position));
        await().atMost(WITHIN).until(() -> gateway.getBean(Sessions.class).size() == MAX_PER_USER);

        String refused = handshake(token);

        assertThat(refused).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After: 5")
                .contains("\"error\":\"max_connections_per_user\"").contains(Integer.toString(MAX_PER_USER));
        for (String path : List.of("/realtime/sse", "/realtime/poll")) {
            HttpResponse<String> answer = get(path + "?channel=" + Channel.empresa(empresa) + "&token=" + token);
            assertThat(answer.statusCode()).isEqualTo(429);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Json.MAPPER.readTree(answer.body()).path("error").asString())
                    .isEqualTo("max_connections_per_user");
        }
        assertThat(refusals.count() - before).isEqualTo(3);
        // another user of the same empresa is not held back by this one
        ws("user-2", empresa);

        first.close();
        await().atMost(WITHIN).until(() -> gateway.getBean(Sessions.class).size() == MAX_PER_USER);
        ws("user-1", empresa);
        assertThat(held.get(10, TimeUnit.SECONDS).path("events").isEmpty()).isTrue();
        await().atMost(WITHIN).until(() -> gateway.getBean(Sessions.class).size() == MAX_PER_USER);
        ws("user-1", empresa);
    }

    @Test
    void shouldRefuseConnectionsBeyondPerEmpresaCapWith429WhileAnotherEmpresaConnects() throws Exception {
        String empresa = "emp-full";
        List<WebSocketTestClient> held = new ArrayList<>();
        for (int i = 0; i < MAX_PER_EMPRESA; i++) {
            held.add(ws("user-" + i, empresa));
        }
        String token = AgentTokens.atendente("user-x", empresa);

        String refused = handshake(token);

        assertThat(refused).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After: 5")
                .contains("\"error\":\"max_connections_per_empresa\"");
        HttpResponse<String> answer = get("/realtime/poll?channel=" + Channel.empresa(empresa) + "&token=" + token);
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(Json.MAPPER.readTree(answer.body()).path("error").asString())
                .isEqualTo("max_connections_per_empresa");
        ws("user-x", "emp-other");
        assertThat(registry().counter(RealtimeMetrics.REFUSED, "reason", "max_connections_per_empresa").count())
                .isGreaterThanOrEqualTo(2);

        held.get(0).close();
        await().atMost(WITHIN).until(() -> gateway.getBean(Sessions.class).size() == MAX_PER_EMPRESA);
        ws("user-x", empresa);
    }

    @Test
    void shouldRefuseSubscribeBeyondChannelCapAndKeepEarlierChannels() throws Exception {
        String empresa = "emp-cap";
        WebSocketTestClient client = ws("user-1", empresa);
        client.subscribe(Channel.empresa(empresa));
        client.subscribe(Channel.atendente("user-1"));
        client.subscribe(Channel.presence(empresa));
        // not a conversa of the empresa: had it been looked up, the answer would be forbidden
        String beyond = Channel.conversa(UUID.randomUUID().toString());

        client.send(subscribe(beyond));

        JsonNode refused = client.awaitFrame(f -> "error".equals(f.path("type").asString()), WITHIN);
        assertThat(refused.path("code").asString()).isEqualTo("too_many_channels");
        assertThat(refused.path("channel").asString()).isEqualTo(beyond);
        assertThat(refused.path("message").asString()).contains(Integer.toString(MAX_CHANNELS));
        // subscribing again to a channel it holds takes no second place
        client.send(subscribe(Channel.empresa(empresa)));
        await().atMost(WITHIN).until(() -> client.framesOfType("subscribed").size() == MAX_CHANNELS + 1);
        RealtimeEvent event = event(empresa, Channel.empresa(empresa));
        RealtimeEvent direct = event(empresa, Channel.atendente("user-1"));
        publish(empresa, event);
        publish(empresa, direct);
        client.awaitFrame(f -> direct.id().equals(f.path("id").asString()), WITHIN);
        await().atMost(WITHIN).until(() -> client.frames().stream()
                .filter(f -> event.id().equals(f.path("id").asString())).count() == 1);
        assertThat(client.framesOfType("error")).hasSize(1);

        client.send("{\"type\":\"unsubscribe\",\"channel\":\"" + Channel.presence(empresa) + "\"}");
        client.awaitFrame(f -> "unsubscribed".equals(f.path("type").asString()), WITHIN);
        client.send(subscribe(beyond));
        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == 2);
        assertThat(client.framesOfType("error").get(1).path("code").asString()).isEqualTo("forbidden");
        assertThat(client.closeCode()).isNotDone();
    }

    @Test
    void shouldRefuseSseAndLongPollNamingMoreChannelsThanTheCap() throws Exception {
        String token = AgentTokens.atendente("user-1", "emp-cap");
        String channels = "channel=empresa:emp-cap&channel=presence:emp-cap&channel=atendente:user-1"
                + "&channel=atendente:user-2";

        for (String path : List.of("/realtime/sse", "/realtime/poll")) {
            HttpResponse<String> answer = get(path + "?" + channels + "&token=" + token);

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(answer.body()).path("reason").asString())
                    .contains(Integer.toString(MAX_CHANNELS));
        }
    }

    @Test
    void shouldAnswerBadChannelToOverlongAndControlCharacterIdsOverWebSocketAndKeepTheSession() throws Exception {
        String empresa = "emp-ids";
        WebSocketTestClient client = ws("user-1", empresa);
        client.subscribe(Channel.empresa(empresa));
        List<String> malformed = List.of(
                "empresa:" + "e".repeat(129),
                // a conversa id is looked up in PostgreSQL; an over-long one must be refused before that
                "conversa:" + UUID.randomUUID() + "x".repeat(100),
                "empresa:" + "e".repeat(60_000),
                "empresa:emp\u0000ids",
                "presence:\u0000",
                "atendente:user-1\n",
                "empresa:emp\u007fids",
                "",
                "empresa:");

        for (String channel : malformed) {
            client.send("{\"type\":\"subscribe\",\"since\":0,\"channel\":" + Json.MAPPER.writeValueAsString(channel)
                    + "}");
        }
        client.send("{\"type\":\"subscribe\",\"channel\":42}");
        client.send("{\"type\":\"subscribe\",\"channel\":{\"kind\":\"empresa\"}}");
        client.send("{\"type\":\"subscribe\",\"channel\":[\"empresa:emp-ids\"]}");
        client.send("{\"type\":\"subscribe\",\"channel\":null}");
        client.send("{\"type\":\"typing_start\",\"conversaId\":\"" + "9".repeat(200) + "\"}");
        client.send("{\"type\":\"typing_start\",\"conversaId\":\"a\\u0000b\"}");

        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == malformed.size() + 6);
        List<JsonNode> errors = client.framesOfType("error");
        assertThat(errors.subList(0, malformed.size())).allSatisfy(error -> {
            assertThat(error.path("code").asString()).isEqualTo("bad_channel");
            assertThat(error.path("channel").asString().length()).isLessThanOrEqualTo(203);
        });
        assertThat(errors.get(0).path("message").asString()).contains("128");
        assertThat(errors.subList(malformed.size(), errors.size())).extracting(e -> e.path("code").asString())
                .containsOnly("bad_frame");
        assertThat(client.framesOfType("subscribed")).hasSize(1);

        RealtimeEvent event = event(empresa, Channel.empresa(empresa));
        publish(empresa, event);
        client.awaitFrame(f -> event.id().equals(f.path("id").asString()), WITHIN);
        assertThat(client.closeCode()).isNotDone();
    }

    @Test
    void shouldAnswerBadFrameToHostileSinceValuesAndRecoveredFalseBeyondTheLog() {
        String empresa = "emp-since";
        WebSocketTestClient client = ws("user-1", empresa);
        String channel = Channel.empresa(empresa);
        List<String> hostile = List.of("1.5", "\"7\"", "1e300", "99999999999999999999999", "true", "[1]", "{}",
                "-9223372036854775808");

        for (String since : hostile) {
            client.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":" + since + "}");
        }
        client.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":" + Long.MAX_VALUE + "}");

        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == hostile.size()
                && client.framesOfType("subscribed").size() == 1);
        assertThat(client.framesOfType("error")).allMatch(f -> "bad_frame".equals(f.path("code").asString()));
        assertThat(client.framesOfType("subscribed").get(0).path("recovered").asBoolean()).isFalse();
        assertThat(client.closeCode()).isNotDone();
    }

    @Test
    void shouldAnswerBadChannelToOverlongAndControlCharacterIdsOverSseAndLongPoll() throws Exception {
        String token = AgentTokens.atendente("user-1", "emp-ids");
        for (String channel : List.of("empresa:" + "e".repeat(129), "conversa:" + "1".repeat(129),
                "empresa:emp\u0000ids", "empresa:emp\tids", "empresa:" + "\u0000".repeat(10), "", ":", "empresa:")) {
            for (String path : List.of("/realtime/sse", "/realtime/poll")) {
                // a valid channel first: the malformed one is refused even when it is not the first named
                HttpResponse<String> answer = get(path + "?channel=empresa:emp-ids&channel="
                        + URLEncoder.encode(channel, StandardCharsets.UTF_8) + "&since=0&token=" + token);

                assertThat(answer.statusCode()).as(path + " " + channel).isEqualTo(400);
                JsonNode body = Json.MAPPER.readTree(answer.body());
                assertThat(body.path("error").asString()).isEqualTo("bad_channel");
                assertThat(body.path("reason").asString()).isNotBlank();
                assertThat(body.path("channel").asString()).isEqualTo(Frames.echo(channel));
            }
        }
        assertThat(gateway.getBean(Sessions.class).size()).isZero();
    }

    private static String subscribe(String channel) {
        return "{\"type\":\"subscribe\",\"channel\":" + Json.MAPPER.writeValueAsString(channel) + "}";
    }

    private WebSocketTestClient ws(String userId, String empresaId) {
        WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + port + "/ws",
                AgentTokens.atendente(userId, empresaId));
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    /** The raw answer to a WebSocket upgrade the server refuses: status line, headers and body. */
    private static String handshake(String token) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\nSec-WebSocket-Version: 13"
                    + "\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode poll(String token, String empresaId, Long since) {
        try {
            HttpResponse<String> answer = get("/realtime/poll?channel=" + Channel.empresa(empresaId)
                    + (since == null ? "" : "&since=" + since) + "&token=" + token);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return Json.MAPPER.readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MeterRegistry registry() {
        return gateway.getBean(MeterRegistry.class);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(String key, RealtimeEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, event)).get(10, TimeUnit.SECONDS);
    }
}
