package dev.chatcentral.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.node.NodeHeartbeats;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.PresenceUpdateData;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceSnapshot.OnlineUser;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * The gateway's side of presence against a real broker and PostgreSQL: the signals and heartbeats it publishes,
 * and the snapshot it serves from {@code chat.presence}, written here as the stream-processor would.
 */
class PresenceIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final Instant SINCE = Instant.parse("2026-11-26T10:00:00Z");

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static String base;
    private static String wsUrl;
    private static KafkaProducer<String, String> producer;
    private static final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = startGateway("gateway-presence-test");
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        base = "http://127.0.0.1:" + port;
        wsUrl = "ws://127.0.0.1:" + port + "/ws";
        // raw JSON values: the test writes to several topics as the stream-processor would
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "presence-test-writer"),
                Serdes.String().serializer(), Serdes.String().serializer());
        producer.initTransactions();
    }

    private static ConfigurableApplicationContext startGateway(String nodeId) {
        return GatewayApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--chatcentral.gateway.node.id=" + nodeId,
                "--chatcentral.gateway.node.heartbeat-interval=300ms",
                "--chatcentral.gateway.signal.poll-session-linger=1s",
                "--chatcentral.gateway.realtime.poll-timeout=1s");
    }

    @AfterAll
    static void stop() {
        producer.close();
        gateway.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WebSocketTestClient::close);
    }

    @Test
    void shouldPublishSessionOpenedAndClosedWhenWebSocketOpensAndCloses() {
        String empresa = "emp-ws";
        try (KafkaConsumer<String, Signal> signals = signalsFromNow(empresa)) {
            WebSocketTestClient client = connect("user-ws", empresa);
            String sessionId = client.awaitFrame(f -> type(f, "connected"), WITHIN).path("sessionId").asString();

            ConsumerRecord<String, Signal> opened = awaitSignal(signals, Signal.SESSION_OPENED, sessionId);
            assertThat(opened.key()).isEqualTo(empresa);
            Signal signal = opened.value();
            assertThat(signal.nodeId()).isEqualTo("gateway-presence-test");
            assertThat(signal.bootEpoch()).isEqualTo(gateway.getBean(NodeHeartbeats.class).bootEpoch());
            assertThat(signal.empresaId()).isEqualTo(empresa);
            assertThat(signal.userId()).isEqualTo("user-ws");
            assertThat(signal.name()).isEqualTo("Atendente user-ws");
            assertThat(signal.ts()).isNotNull();
            // presence keeps them: automatic assignment hands conversas to atendentes only
            assertThat(signal.roles()).containsExactly(Signal.ATENDENTE_ROLE);

            client.close();

            Signal closed = awaitSignal(signals, Signal.SESSION_CLOSED, sessionId).value();
            assertThat(closed.nodeId()).isEqualTo("gateway-presence-test");
            assertThat(closed.userId()).isEqualTo("user-ws");
        }
    }

    @Test
    void shouldPublishHeartbeatsOfOneBootEpochWhileRunning() {
        String node = gateway.getBean(GatewayNode.class).id();
        long bootEpoch = gateway.getBean(NodeHeartbeats.class).bootEpoch();
        try (KafkaConsumer<String, NodeHeartbeat> heartbeats = heartbeatsFromBeginning()) {
            List<NodeHeartbeat> received = new ArrayList<>();
            await().atMost(WITHIN).until(() -> {
                heartbeats.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (node.equals(r.key())) {
                        received.add(r.value());
                    }
                });
                return received.size() >= 3;
            });
            assertThat(received).allSatisfy(h -> {
                assertThat(h.nodeId()).isEqualTo(node);
                assertThat(h.bootEpoch()).isEqualTo(bootEpoch);
            });
            assertThat(received.get(2).ts()).isAfter(received.get(0).ts());
        }
    }

    @Test
    void shouldCloseSessionsAndWriteTombstoneWhenNodeShutsDown() {
        String empresa = "emp-shutdown";
        ConfigurableApplicationContext node = startGateway("gateway-stopping");
        String url = "ws://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort() + "/ws";
        try (KafkaConsumer<String, Signal> signals = signalsFromNow(empresa);
             KafkaConsumer<String, NodeHeartbeat> heartbeats = heartbeatsFromBeginning()) {
            WebSocketTestClient client = WebSocketTestClient.connect(url, AgentTokens.atendente("user-sd", empresa));
            clients.add(client);
            String sessionId = client.awaitFrame(f -> type(f, "connected"), WITHIN).path("sessionId").asString();
            awaitSignal(signals, Signal.SESSION_OPENED, sessionId);

            node.close();

            assertThat(awaitSignal(signals, Signal.SESSION_CLOSED, sessionId).value().nodeId())
                    .isEqualTo("gateway-stopping");
            List<ConsumerRecord<String, NodeHeartbeat>> ofNode = new ArrayList<>();
            await().atMost(WITHIN).until(() -> {
                heartbeats.poll(Duration.ofMillis(100)).forEach(r -> {
                    if ("gateway-stopping".equals(r.key())) {
                        ofNode.add(r);
                    }
                });
                return !ofNode.isEmpty() && ofNode.get(ofNode.size() - 1).value() == null;
            });
            assertThat(ofNode.size()).isGreaterThan(1);
        } finally {
            node.close();
        }
    }

    @Test
    void shouldSendPresenceSnapshotBeforeSubscribedThenDeltas() throws Exception {
        String empresa = "emp-snap";
        writeSnapshot(snapshot(empresa, 3, "ana", "bia"));
        WebSocketTestClient client = connect("user-snap", empresa);
        client.awaitFrame(f -> type(f, "connected"), WITHIN);

        client.subscribe(Channel.presence(empresa));

        List<JsonNode> frames = client.frames();
        JsonNode snapshotFrame = frames.stream().filter(f -> type(f, "presence_snapshot")).findFirst().orElseThrow();
        assertThat(frames.indexOf(snapshotFrame)).isLessThan(indexOfType(frames, "subscribed"));
        assertThat(snapshotFrame.path("channel").asString()).isEqualTo(Channel.presence(empresa));
        JsonNode data = snapshotFrame.path("data");
        assertThat(data.path("count").asInt()).isEqualTo(2);
        assertThat(data.path("version").asLong()).isEqualTo(3);
        assertThat(data.path("online").get(0).path("userId").asString()).isEqualTo("ana");
        assertThat(data.path("online").get(0).path("status").asString()).isEqualTo("disponivel");
        assertThat(data.path("online").get(0).path("since").asString()).isEqualTo(SINCE.toString());

        writeChange(snapshot(empresa, 4, "ana", "bia", "caio"), update(empresa, "caio", 4));

        JsonNode delta = client.awaitFrame(f -> type(f, "presence_update"), WITHIN);
        assertThat(delta.path("data").path("userId").asString()).isEqualTo("caio");
        assertThat(delta.path("data").path("version").asLong()).isEqualTo(4);
    }

    @Test
    void shouldSendEmptySnapshotWhenPresenceNeverWroteOne() {
        WebSocketTestClient client = connect("user-empty", "emp-nobody");
        client.awaitFrame(f -> type(f, "connected"), WITHIN);

        client.subscribe(Channel.presence("emp-nobody"));

        JsonNode data = client.awaitFrame(f -> type(f, "presence_snapshot"), WITHIN).path("data");
        assertThat(data.path("count").asInt()).isZero();
        assertThat(data.path("version").asLong()).isZero();
        assertThat(data.path("online")).isEmpty();
    }

    /**
     * Changes land while clients subscribe: whatever moment a client's snapshot reflects, the updates after it
     * (by version) must follow without a gap, up to the last change.
     */
    @Test
    void shouldNeverMissAChangeBetweenSnapshotAndDeltasWhileChangesLand() throws Exception {
        String empresa = "emp-race";
        int changes = 60;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int version = 1; version <= changes; version++) {
                writeChange(snapshot(empresa, version, "u-" + version), update(empresa, "u-" + version, version));
                sleep(15);
            }
        });
        List<WebSocketTestClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            WebSocketTestClient client = connect("user-race-" + i, empresa);
            client.awaitFrame(f -> type(f, "connected"), WITHIN);
            client.send("{\"type\":\"subscribe\",\"channel\":\"" + Channel.presence(empresa) + "\"}");
            subscribers.add(client);
            sleep(100);
        }
        writer.get(30, TimeUnit.SECONDS);

        for (WebSocketTestClient client : subscribers) {
            client.awaitFrame(f -> version(f) == changes, WITHIN);
            List<JsonNode> frames = client.frames();
            int snapshotAt = indexOfType(frames, "presence_snapshot");
            long applied = version(frames.get(snapshotAt));
            assertThat(frames.subList(0, snapshotAt)).noneMatch(f -> type(f, "presence_update"));
            for (JsonNode frame : frames.subList(snapshotAt + 1, frames.size())) {
                if (type(frame, "presence_update") && version(frame) > applied) {
                    assertThat(version(frame)).as("the update after version %d", applied).isEqualTo(applied + 1);
                    applied = version(frame);
                }
            }
            assertThat(applied).isEqualTo(changes);
        }
    }

    @Test
    void shouldServePresenceAndAtendentesOverRest() throws Exception {
        String empresa = "emp-rest";
        writeSnapshot(new PresenceSnapshot(empresa, List.of(
                new OnlineUser("ana", "Ana", "ausente", SINCE),
                new OnlineUser("bia", "Bia", "disponivel", SINCE)), 2, 7, SINCE));
        String token = AgentTokens.atendente("user-rest", empresa);

        HttpResponse<String> presence = get("/api/v1/presence", token);
        assertThat(presence.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(presence.body());
        assertThat(body.path("empresaId").asString()).isEqualTo(empresa);
        assertThat(body.path("count").asInt()).isEqualTo(2);
        assertThat(body.path("version").asLong()).isEqualTo(7);
        assertThat(body.path("online").get(1).path("name").asString()).isEqualTo("Bia");

        JsonNode ausentes = Json.MAPPER.readTree(get("/api/v1/atendentes?status=ausente", token).body());
        assertThat(ausentes.path("items")).hasSize(1);
        assertThat(ausentes.path("items").get(0).path("userId").asString()).isEqualTo("ana");
        assertThat(ausentes.path("items").get(0).path("online").asBoolean()).isTrue();
        assertThat(ausentes.path("items").get(0).path("since").asString()).isEqualTo(SINCE.toString());
        assertThat(Json.MAPPER.readTree(get("/api/v1/atendentes", token).body()).path("items")).hasSize(2);

        HttpResponse<String> badStatus = get("/api/v1/atendentes?status=dancing", token);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(badStatus.body()).path("error").asString()).isEqualTo("bad_parameter");
        assertThat(get("/api/v1/presence", null).statusCode()).isEqualTo(401);
        JsonNode otherEmpresa = Json.MAPPER.readTree(get("/api/v1/presence",
                AgentTokens.atendente("user-x", "emp-rest-other")).body());
        assertThat(otherEmpresa.path("count").asInt()).isZero();
    }

    @Test
    void shouldCountLongPollerAsOneSessionWhilePollingAndCloseItAfterLinger() throws Exception {
        String empresa = "emp-poll";
        writeSnapshot(snapshot(empresa, 2, "ana"));
        String token = AgentTokens.atendente("user-poll", empresa);
        try (KafkaConsumer<String, Signal> signals = signalsFromNow(empresa)) {
            HttpResponse<String> first = get("/realtime/poll?channel=" + Channel.presence(empresa), token);
            JsonNode answer = Json.MAPPER.readTree(first.body());
            assertThat(answer.path("events").get(0).path("type").asString()).isEqualTo("presence_snapshot");
            assertThat(answer.path("events").get(0).path("data").path("count").asInt()).isEqualTo(1);
            long position = answer.path("position").asLong();
            JsonNode second = Json.MAPPER.readTree(get("/realtime/poll?channel=" + Channel.presence(empresa)
                    + "&since=" + position, token).body());
            assertThat(second.path("events")).isEmpty();

            List<Signal> received = new ArrayList<>();
            await().atMost(WITHIN).until(() -> {
                signals.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (empresa.equals(r.key())) {
                        received.add(r.value());
                    }
                });
                return received.stream().anyMatch(s -> s.type().equals(Signal.SESSION_CLOSED));
            });
            assertThat(received).extracting(Signal::type).containsExactly(Signal.SESSION_OPENED, Signal.SESSION_CLOSED);
            assertThat(received.get(0).sessionId()).isEqualTo(received.get(1).sessionId());
            assertThat(received.get(0).userId()).isEqualTo("user-poll");
        }
    }

    private WebSocketTestClient connect(String userId, String empresaId) {
        WebSocketTestClient client = WebSocketTestClient.connect(wsUrl, AgentTokens.atendente(userId, empresaId));
        clients.add(client);
        return client;
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(WITHIN);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PresenceSnapshot snapshot(String empresaId, long version, String... userIds) {
        List<OnlineUser> online = new ArrayList<>();
        for (String userId : userIds) {
            online.add(new OnlineUser(userId, "Atendente " + userId, "disponivel", SINCE));
        }
        return new PresenceSnapshot(empresaId, online, online.size(), version, SINCE.plusSeconds(version));
    }

    private static RealtimeEvent update(String empresaId, String userId, long version) {
        PresenceUpdateData data = new PresenceUpdateData(userId, "Atendente " + userId, true, "disponivel", 1,
                SINCE, version, SINCE.plusSeconds(version));
        return new RealtimeEvent(empresaId + "-presence-" + version, empresaId, EventType.PRESENCE_UPDATE,
                List.of(Channel.presence(empresaId)), Json.MAPPER.valueToTree(data), data.ts());
    }

    private static void writeSnapshot(PresenceSnapshot snapshot) {
        writeChange(snapshot, null);
    }

    /** The snapshot and its event in one transaction, as the presence topology writes them. */
    private static synchronized void writeChange(PresenceSnapshot snapshot, RealtimeEvent event) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.PRESENCE.name(), snapshot.empresaId(),
                json(Topics.PRESENCE.valueSerde(), snapshot)));
        if (event != null) {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.empresaId(),
                    json(Topics.EVENTS.valueSerde(), event)));
        }
        producer.commitTransaction();
    }

    private static <T> String json(Serde<T> serde, T value) {
        return new String(serde.serializer().serialize(null, value), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, Signal> signalsFromNow(String empresaId) {
        TopicPartition partition = new TopicPartition(Topics.SIGNALS.name(),
                EmpresaPartition.of(empresaId, TopicCatalog.DEFAULT_PARTITIONS));
        KafkaConsumer<String, Signal> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.SIGNALS.keySerde().deserializer(), Topics.SIGNALS.valueSerde().deserializer());
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return consumer;
    }

    private static KafkaConsumer<String, NodeHeartbeat> heartbeatsFromBeginning() {
        TopicPartition partition = new TopicPartition(Topics.NODE_HEARTBEATS.name(), 0);
        KafkaConsumer<String, NodeHeartbeat> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.NODE_HEARTBEATS.keySerde().deserializer(), Topics.NODE_HEARTBEATS.valueSerde().deserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static ConsumerRecord<String, Signal> awaitSignal(KafkaConsumer<String, Signal> signals, String type,
                                                             String sessionId) {
        List<ConsumerRecord<String, Signal>> found = new ArrayList<>();
        await().atMost(WITHIN).until(() -> {
            signals.poll(Duration.ofMillis(100)).forEach(r -> {
                if (type.equals(r.value().type()) && sessionId.equals(r.value().sessionId())) {
                    found.add(r);
                }
            });
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private static boolean type(JsonNode frame, String type) {
        return type.equals(frame.path("type").asString());
    }

    private static int indexOfType(List<JsonNode> frames, String type) {
        for (int i = 0; i < frames.size(); i++) {
            if (type(frames.get(i), type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " frame in " + frames);
    }

    private static long version(JsonNode frame) {
        return frame.path("data").path("version").asLong(-1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
