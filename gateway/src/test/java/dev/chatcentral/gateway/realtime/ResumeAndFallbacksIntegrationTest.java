package dev.chatcentral.gateway.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.testing.SseTestClient;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Resume and the HTTP fallbacks across gateway nodes on one broker: node A, node B (which holds at most three
 * sessions), and nodes started and stopped by a test.
 */
class ResumeAndFallbacksIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final int MAX_ON_B = 3;

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;
    private static KafkaProducer<String, RealtimeEvent> producer;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        nodeA = startNode("node-a", 100);
        nodeB = startNode("node-b", MAX_ON_B);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
    }

    private static ConfigurableApplicationContext startNode(String id, int maxConnections) {
        return GatewayApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--chatcentral.gateway.node.id=" + id,
                "--chatcentral.gateway.session.max-connections=" + maxConnections,
                "--chatcentral.gateway.session.ping-interval=500ms",
                "--chatcentral.gateway.realtime.poll-timeout=3s");
    }

    @AfterAll
    static void stop() {
        producer.close();
        nodeA.close();
        nodeB.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        await().atMost(WITHIN).until(() -> nodeA.getBean(Sessions.class).size() == 0
                && nodeB.getBean(Sessions.class).size() == 0);
    }

    @Test
    void shouldReplayEventsMissedDuringNodeRestartExactlyOnceInOrderOnAnotherNode() throws Exception {
        String empresa = "emp-resume";
        String channel = Channel.empresa(empresa);
        ConfigurableApplicationContext nodeC = startNode("node-c", 100);
        WebSocketTestClient first = ws(nodeC, "user-1", empresa);
        first.subscribe(channel);
        RealtimeEvent seen = event(empresa, channel);
        long seenPosition = publish(empresa, seen).offset();
        first.awaitFrame(f -> seen.id().equals(f.path("id").asString()), WITHIN);

        nodeC.close();
        assertThat(first.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1012);
        assertThat(first.framesOfType("closing")).singleElement()
                .satisfies(f -> assertThat(f.path("code").asInt()).isEqualTo(1012));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RealtimeEvent missed = event(empresa, channel);
            publish(empresa, missed);
            expected.add(missed.id());
            // events of another channel of the same empresa are not replayed on this one
            publish(empresa, event(empresa, Channel.presence(empresa)));
        }
        WebSocketTestClient resumed = ws(nodeA, "user-1", empresa);
        // events keep coming while the client subscribes: the seam between replay and live is exercised
        CompletableFuture<List<String>> during = CompletableFuture.supplyAsync(() -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                RealtimeEvent live = event(empresa, channel);
                ids.add(live.id());
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), empresa, live));
                sleep(5);
            }
            producer.flush();
            return ids;
        });
        resumed.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":" + seenPosition + "}");
        expected.addAll(during.get(10, TimeUnit.SECONDS));

        await().atMost(WITHIN).until(() -> eventIds(resumed, channel).size() >= expected.size());
        Thread.sleep(300);
        assertThat(eventIds(resumed, channel)).containsExactlyElementsOf(expected);
        JsonNode subscribed = resumed.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        assertThat(subscribed.path("recovered").asBoolean()).isTrue();
        List<Long> positions = resumed.frames().stream().filter(f -> f.has("id"))
                .map(f -> f.path("position").asLong()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates().allMatch(p -> p > seenPosition);
    }

    @Test
    void shouldAnswerRecoveredFalseWhenPositionIsBeforeLogStart() throws Exception {
        String empresa = "emp-old";
        String channel = Channel.empresa(empresa);
        long oldest = publish(empresa, event(empresa, channel)).offset();
        publish(empresa, event(empresa, channel));
        long kept = publish(empresa, event(empresa, channel)).offset();
        TopicPartition partition = new TopicPartition(Topics.EVENTS.name(),
                EmpresaPartition.of(empresa, TopicCatalog.DEFAULT_PARTITIONS));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(kept))).all().get(10, TimeUnit.SECONDS);
        }
        WebSocketTestClient client = ws(nodeA, "user-1", empresa);

        client.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":" + oldest + "}");

        JsonNode subscribed = client.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        assertThat(subscribed.path("recovered").asBoolean()).isFalse();
        assertThat(subscribed.path("position").asLong()).isGreaterThanOrEqualTo(kept);
        assertThat(client.frames()).noneMatch(f -> f.has("id"));
        RealtimeEvent live = event(empresa, channel);
        publish(empresa, live);
        client.awaitFrame(f -> live.id().equals(f.path("id").asString()), WITHIN);

        JsonNode poll = poll(nodeB, "user-1", empresa, channel, oldest);
        assertThat(poll.path("recovered").asBoolean()).isFalse();
        assertThat(poll.path("position").asLong()).isGreaterThan(kept);
    }

    @Test
    void shouldDeliverTheSameFramesOverSseAndLongPollAsOverWebSocket() throws Exception {
        String empresa = "emp-parity";
        String channel = Channel.empresa(empresa);
        WebSocketTestClient socket = ws(nodeA, "user-1", empresa);
        socket.subscribe(channel);
        long start = socket.framesOfType("subscribed").get(0).path("position").asLong();
        SseTestClient sse = sse(nodeB, "user-2", empresa, channel, start, null);
        await().atMost(WITHIN).until(() -> sse.frames().stream().anyMatch(f -> "subscribed".equals(
                f.path("type").asString())));

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RealtimeEvent event = event(empresa, channel);
            publish(empresa, event);
            published.add(event.id());
        }
        await().atMost(WITHIN).until(() -> eventIds(socket, channel).size() == 5
                && eventFrames(sse.frames()).size() == 5);
        List<JsonNode> overWebSocket = socket.frames().stream().filter(f -> f.has("id")).toList();
        assertThat(eventFrames(sse.frames())).containsExactlyElementsOf(overWebSocket);
        assertThat(eventIds(socket, channel)).containsExactlyElementsOf(published);

        JsonNode poll = poll(nodeB, "user-3", empresa, channel, start);
        assertThat(poll.path("recovered").asBoolean()).isTrue();
        assertThat(eventFrames(poll.path("events").valueStream().toList())).containsExactlyElementsOf(overWebSocket);
        long last = poll.path("position").asLong();
        assertThat(last).isEqualTo(overWebSocket.get(4).path("position").asLong());

        // an SSE reconnect resumes after its Last-Event-ID; a held poll answers with the next live event
        String lastEventId = sse.ids().get(sse.ids().size() - 1);
        assertThat(Long.parseLong(lastEventId)).isEqualTo(last);
        SseTestClient reconnected = sse(nodeA, "user-2", empresa, channel, null,
                Long.toString(overWebSocket.get(2).path("position").asLong()));
        CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(() -> poll(nodeA, "user-3", empresa, channel,
                last));
        Thread.sleep(500);
        RealtimeEvent next = event(empresa, channel);
        publish(empresa, next);

        JsonNode answer = held.get(10, TimeUnit.SECONDS);
        assertThat(answer.path("events").valueStream().map(f -> f.path("id").asString()).toList())
                .containsExactly(next.id());
        await().atMost(WITHIN).until(() -> eventFrames(reconnected.frames()).size() == 3);
        assertThat(eventFrames(reconnected.frames()).stream().map(f -> f.path("id").asString()).toList())
                .containsExactly(published.get(3), published.get(4), next.id());
    }

    @Test
    void shouldAnswerLongPollWithNoEventsAndTheSamePositionAfterTimeout() {
        String empresa = "emp-quiet";
        String channel = Channel.empresa(empresa);
        long now = poll(nodeA, "user-1", empresa, channel, null).path("position").asLong();
        long started = System.nanoTime();

        JsonNode answer = poll(nodeA, "user-1", empresa, channel, now);

        assertThat(answer.path("events").isEmpty()).isTrue();
        assertThat(answer.path("position").asLong()).isEqualTo(now);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
    }

    @Test
    void shouldRefuseSseAndLongPollWithoutTokenOrForAnotherEmpresasChannels() throws Exception {
        String base = "http://127.0.0.1:" + port(nodeA);
        String ownToken = AgentTokens.atendente("user-1", "emp-a");
        String forged = AgentTokens.mint("someone-elses-secret-0123456789abcdef", "user-1", "emp-a",
                List.of("admin"), Instant.now().plusSeconds(600));

        assertThat(status(base + "/realtime/poll?channel=empresa:emp-a")).isEqualTo(401);
        assertThat(status(base + "/realtime/sse?channel=empresa:emp-a")).isEqualTo(401);
        assertThat(status(base + "/realtime/poll?channel=empresa:emp-a&token=" + forged)).isEqualTo(401);
        assertThat(status(base + "/realtime/sse?channel=empresa:emp-b&token=" + ownToken)).isEqualTo(403);
        assertThat(status(base + "/realtime/poll?channel=empresa:emp-b&token=" + ownToken)).isEqualTo(403);
        assertThat(status(base + "/realtime/poll?channel=conversa:" + UUID.randomUUID() + "&token=" + ownToken))
                .isEqualTo(403);
        assertThat(status(base + "/realtime/poll?channel=cliente:1&token=" + ownToken)).isEqualTo(400);
        assertThat(status(base + "/realtime/poll?channel=empresa:emp-a&since=soon&token=" + ownToken)).isEqualTo(400);
    }

    @Test
    void shouldRefuseSessionsBeyondMaxConnectionsWith503AndAcceptAgainWhenOneLeaves() throws Exception {
        String empresa = "emp-full";
        List<WebSocketTestClient> held = new ArrayList<>();
        for (int i = 0; i < MAX_ON_B; i++) {
            held.add(ws(nodeB, "user-" + i, empresa));
        }
        String token = AgentTokens.atendente("user-x", empresa);
        String wsUrl = "ws://127.0.0.1:" + port(nodeB) + "/ws";

        try {
            WebSocketTestClient.connect(wsUrl, token).close();
            throw new AssertionError("the handshake beyond the limit was accepted");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(WebSocketHandshakeException.class,
                    refused -> assertThat(refused.getResponse().statusCode()).isEqualTo(503));
        }
        assertThat(status("http://127.0.0.1:" + port(nodeB) + "/realtime/poll?channel=empresa:" + empresa
                + "&token=" + token)).isEqualTo(503);

        held.get(0).close();
        await().atMost(WITHIN).until(() -> nodeB.getBean(Sessions.class).size() == MAX_ON_B - 1);
        ws(nodeB, "user-x", empresa);
    }

    private WebSocketTestClient ws(ConfigurableApplicationContext node, String userId, String empresaId) {
        WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + port(node) + "/ws",
                AgentTokens.atendente(userId, empresaId));
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    private SseTestClient sse(ConfigurableApplicationContext node, String userId, String empresaId, String channel,
                              Long since, String lastEventId) throws Exception {
        SseTestClient client = SseTestClient.open(URI.create("http://127.0.0.1:" + port(node)
                + "/realtime/sse?channel=" + channel + (since == null ? "" : "&since=" + since)
                + "&token=" + AgentTokens.atendente(userId, empresaId)), lastEventId);
        clients.add(client);
        assertThat(client.status()).isEqualTo(200);
        return client;
    }

    private static JsonNode poll(ConfigurableApplicationContext node, String userId, String empresaId, String channel,
                                 Long since) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + port(node) + "/realtime/poll?channel=" + channel
                                    + (since == null ? "" : "&since=" + since)))
                    .header("Authorization", "Bearer " + AgentTokens.atendente(userId, empresaId))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> eventIds(WebSocketTestClient client, String channel) {
        return client.frames().stream().filter(f -> f.has("id") && channel.equals(f.path("channel").asString()))
                .map(f -> f.path("id").asString()).toList();
    }

    private static List<JsonNode> eventFrames(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.has("id")).toList();
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    private static RealtimeEvent event(String empresaId, String channel) {
        return new RealtimeEvent(UUID.randomUUID().toString(), empresaId, EventType.CONVERSATION_UPDATED,
                List.of(channel), Json.MAPPER.createObjectNode().put("n", UUID.randomUUID().toString()), Instant.now());
    }

    private static RecordMetadata publish(String key, RealtimeEvent event) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, event)).get(10, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
