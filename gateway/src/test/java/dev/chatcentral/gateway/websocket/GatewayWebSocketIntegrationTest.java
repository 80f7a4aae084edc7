package dev.chatcentral.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.chatcentral.gateway.GatewayApplication;
import dev.chatcentral.gateway.delivery.EventConsumer;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.testing.RawWebSocket;
import dev.chatcentral.schemas.signal.Signal;
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

/** The gateway against a real broker and PostgreSQL, driven through real WebSocket connections. */
class GatewayWebSocketIntegrationTest {

    private static final String EMPRESA_A = "emp-a";
    private static final String EMPRESA_B = "emp-b";
    private static final Duration WITHIN = Duration.ofSeconds(10);
    /** How long a frame that must not arrive is given to show up anyway. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static KafkaProducer<String, RealtimeEvent> producer;
    private static String wsUrl;
    private static int port;
    private final List<WebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = GatewayApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                // short timers and a small queue, so keepalive and slow-consumer tests take seconds
                "--chatcentral.gateway.session.ping-interval=300ms",
                "--chatcentral.gateway.session.connection-timeout=1500ms",
                "--chatcentral.gateway.session.send-queue-limit=64KB",
                "--chatcentral.gateway.session.send-time-limit=20s");
        port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        wsUrl = "ws://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort() + "/ws";
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
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
    void shouldRefuseHandshakeWith401WhenTokenIsMissing() {
        assertThat(handshakeStatus(URI.create(wsUrl), null)).isEqualTo(401);
    }

    @Test
    void shouldRefuseHandshakeWith401WhenSignatureIsWrong() {
        String forged = AgentTokens.mint("someone-elses-secret-0123456789abcdef", "user-1", EMPRESA_A,
                List.of("admin"), Instant.now().plusSeconds(600));

        assertThat(handshakeStatus(URI.create(wsUrl + "?token=" + forged), null)).isEqualTo(401);
        assertThat(handshakeStatus(URI.create(wsUrl), "Bearer " + forged)).isEqualTo(401);
    }

    @Test
    void shouldRefuseHandshakeWith401WhenTokenExpired() {
        String expired = AgentTokens.mint(AgentTokens.DEV_SECRET, "user-1", EMPRESA_A, List.of("atendente"),
                Instant.now().minusSeconds(60));

        assertThat(handshakeStatus(URI.create(wsUrl + "?token=" + expired), null)).isEqualTo(401);
    }

    @Test
    void shouldAcceptTokenFromAuthorizationHeader() throws Exception {
        Collector frames = new Collector();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + AgentTokens.atendente("user-h", EMPRESA_A))
                .buildAsync(URI.create(wsUrl), frames).get(10, TimeUnit.SECONDS);
        try {
            await().atMost(WITHIN).until(() -> !frames.texts.isEmpty());
            assertThat(Json.MAPPER.readTree(frames.texts.get(0)).path("type").asString()).isEqualTo("connected");
        } finally {
            socket.abort();
        }
    }

    @Test
    void shouldSendConnectedWithSessionUserAndEmpresa() {
        WebSocketTestClient client = connect("user-1", EMPRESA_A);

        JsonNode connected = client.awaitFrame(f -> type(f, "connected"), WITHIN);
        assertThat(connected.path("sessionId").asString()).isNotBlank();
        assertThat(connected.path("userId").asString()).isEqualTo("user-1");
        assertThat(connected.path("empresaId").asString()).isEqualTo(EMPRESA_A);
    }

    @Test
    void shouldDeliverEventOnOwnEmpresaChannelWithOffsetAsPosition() throws Exception {
        WebSocketTestClient client = connectReady("user-1", EMPRESA_A);
        client.subscribe(Channel.empresa(EMPRESA_A));

        RealtimeEvent event = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_A));
        RecordMetadata written = publish(EMPRESA_A, event);

        JsonNode frame = client.awaitFrame(f -> event.id().equals(f.path("id").asString()), WITHIN);
        assertThat(frame.path("type").asString()).isEqualTo(EventType.CONVERSATION_UPDATED);
        assertThat(frame.path("channel").asString()).isEqualTo(Channel.empresa(EMPRESA_A));
        assertThat(frame.path("data")).isEqualTo(event.data());
        assertThat(frame.path("position").asLong()).isEqualTo(written.offset());
        assertThat(frame.path("ts").asString()).isEqualTo(event.ts().toString());
    }

    @Test
    void shouldDeliverEventOncePerSubscribedChannelWithTheSamePosition() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient client = connectReady("user-1", EMPRESA_A);
        client.subscribe(Channel.empresa(EMPRESA_A));
        client.subscribe(Channel.conversa(conversaId));

        RealtimeEvent event = event(EMPRESA_A, EventType.MESSAGE_NOTIFICATION, Channel.conversa(conversaId),
                Channel.empresa(EMPRESA_A), Channel.atendente("someone-else"));
        RecordMetadata written = publish(EMPRESA_A, event);

        await().atMost(WITHIN).until(() -> framesWithId(client, event.id()).size() == 2);
        assertThat(framesWithId(client, event.id()))
                .extracting(f -> f.path("channel").asString())
                .containsExactlyInAnyOrder(Channel.conversa(conversaId), Channel.empresa(EMPRESA_A));
        assertThat(framesWithId(client, event.id())).allMatch(f -> f.path("position").asLong() == written.offset());
    }

    @Test
    void shouldNeverDeliverAnotherEmpresasEventToSubscriberOfItsOwnChannel() throws Exception {
        WebSocketTestClient clientA = connectReady("user-a", EMPRESA_A);
        WebSocketTestClient clientB = connectReady("user-b", EMPRESA_B);
        clientA.subscribe(Channel.empresa(EMPRESA_A));
        clientB.subscribe(Channel.empresa(EMPRESA_B));

        RealtimeEvent ofA = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_A));
        // a mislabelled record: in B's partition and on B's channel, but of empresa A
        RealtimeEvent misrouted = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_B));
        RealtimeEvent marker = event(EMPRESA_B, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_B));
        publish(EMPRESA_A, ofA);
        publish(EMPRESA_B, misrouted);
        publish(EMPRESA_B, marker);

        clientA.awaitFrame(f -> ofA.id().equals(f.path("id").asString()), WITHIN);
        clientB.awaitFrame(f -> marker.id().equals(f.path("id").asString()), WITHIN);
        assertThat(clientB.frames()).noneMatch(f -> ofA.id().equals(f.path("id").asString())
                || misrouted.id().equals(f.path("id").asString()));
        assertThat(clientA.frames()).noneMatch(f -> misrouted.id().equals(f.path("id").asString()));
    }

    @Test
    void shouldAnswerForbiddenWhenSubscribingToAnotherEmpresasChannels() {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);

        assertThat(subscribeError(client, Channel.empresa(EMPRESA_B)).path("code").asString()).isEqualTo("forbidden");
        assertThat(subscribeError(client, Channel.presence(EMPRESA_B)).path("code").asString()).isEqualTo("forbidden");
        client.subscribe(Channel.presence(EMPRESA_A));
    }

    @Test
    void shouldAllowOnlyConversasOfOwnEmpresa() {
        String own = database.seedConversa(EMPRESA_A);
        String other = database.seedConversa(EMPRESA_B);
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);

        client.subscribe(Channel.conversa(own));
        JsonNode forbidden = subscribeError(client, Channel.conversa(other));
        assertThat(forbidden.path("code").asString()).isEqualTo("forbidden");
        assertThat(forbidden.path("channel").asString()).isEqualTo(Channel.conversa(other));
        assertThat(subscribeError(client, Channel.conversa(UUID.randomUUID().toString())).path("code").asString())
                .isEqualTo("forbidden");
        assertThat(subscribeError(client, Channel.conversa("not-a-uuid")).path("code").asString())
                .isEqualTo("forbidden");
    }

    @Test
    void shouldLetOnlySupervisorsFollowAnotherAtendente() {
        WebSocketTestClient atendente = connectReady("user-a", EMPRESA_A);
        WebSocketTestClient supervisor = connectReady(AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", EMPRESA_A,
                List.of("supervisor"), Instant.now().plusSeconds(600)));

        atendente.subscribe(Channel.atendente("user-a"));
        assertThat(subscribeError(atendente, Channel.atendente("user-z")).path("code").asString())
                .isEqualTo("forbidden");
        supervisor.subscribe(Channel.atendente("user-z"));
    }

    @Test
    void shouldAnswerBadFrameAndKeepConnectionOpenWhenFrameIsMalformed() {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);

        client.send("this is not json");
        client.send("{\"channel\":\"empresa:emp-a\"}");
        client.send("[1,2,3]");
        client.send("{\"type\":\"dance\"}");
        client.send("{\"type\":\"subscribe\"}");

        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == 5);
        assertThat(client.framesOfType("error")).allMatch(f -> "bad_frame".equals(f.path("code").asString())
                && !f.path("message").asString().isBlank());
        client.send("{\"type\":\"ping\"}");
        client.awaitFrame(f -> type(f, "pong"), WITHIN);
        assertThat(client.closeCode()).isNotDone();
    }

    @Test
    void shouldAnswerBadChannelWhenChannelIsNotWellFormed() {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);

        JsonNode error = subscribeError(client, "cliente:42");

        assertThat(error.path("code").asString()).isEqualTo("bad_channel");
        assertThat(error.path("channel").asString()).isEqualTo("cliente:42");
        client.subscribe(Channel.empresa(EMPRESA_A));
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribe() throws Exception {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);
        client.subscribe(Channel.empresa(EMPRESA_A));
        client.subscribe(Channel.presence(EMPRESA_A));
        client.send("{\"type\":\"unsubscribe\",\"channel\":\"" + Channel.empresa(EMPRESA_A) + "\"}");
        client.awaitFrame(f -> type(f, "unsubscribed") && Channel.empresa(EMPRESA_A).equals(f.path("channel").asString()),
                WITHIN);

        RealtimeEvent hidden = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_A));
        RealtimeEvent marker = event(EMPRESA_A, EventType.PRESENCE_UPDATE, Channel.presence(EMPRESA_A));
        publish(EMPRESA_A, hidden);
        publish(EMPRESA_A, marker);

        client.awaitFrame(f -> marker.id().equals(f.path("id").asString()), WITHIN);
        assertThat(client.frames()).noneMatch(f -> hidden.id().equals(f.path("id").asString()));
    }

    @Test
    void shouldAnswerPingWithPong() {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);

        client.send("{\"type\":\"ping\"}");

        client.awaitFrame(f -> type(f, "pong"), WITHIN);
    }

    @Test
    void shouldAcceptFrameOfExactly64KiB() {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);
        String envelope = "{\"type\":\"ping\",\"padding\":\"\"}";

        client.send(envelope.replace("\"\"}", "\"" + "x".repeat(64 * 1024 - envelope.length()) + "\"}"));

        client.awaitFrame(f -> type(f, "pong"), WITHIN);
    }

    @Test
    void shouldCloseWith1009WhenFrameIsLargerThan64KiB() throws Exception {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);
        String envelope = "{\"type\":\"ping\",\"padding\":\"\"}";

        client.send(envelope.replace("\"\"}", "\"" + "x".repeat(64 * 1024 - envelope.length() + 1) + "\"}"));

        assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void shouldSkipUnreadableRecordsAndKeepDelivering() throws Exception {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);
        client.subscribe(Channel.empresa(EMPRESA_A));
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.EVENTS.name(), EMPRESA_A,
                    "{not json".getBytes(StandardCharsets.UTF_8))).get();
            raw.send(new ProducerRecord<>(Topics.EVENTS.name(), EMPRESA_A,
                    "{\"id\":\"incomplete\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
        RealtimeEvent after = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_A));
        publish(EMPRESA_A, after);

        client.awaitFrame(f -> after.id().equals(f.path("id").asString()), WITHIN);
        assertThat(client.frames()).noneMatch(f -> "incomplete".equals(f.path("id").asString()));
    }

    @Test
    void shouldReleasePartitionWhenLastSessionLeavesAndTakeItBackOnReconnect() throws Exception {
        String empresa = "emp-c";
        int partition = EmpresaPartition.of(empresa, TopicCatalog.DEFAULT_PARTITIONS);
        EventConsumer consumer = gateway.getBean(EventConsumer.class);
        WebSocketTestClient first = connectReady("user-c", empresa);
        assertThat(consumer.assignedPartitions()).contains(partition);

        first.close();
        await().atMost(WITHIN).until(() -> !consumer.assignedPartitions().contains(partition));

        WebSocketTestClient second = connectReady("user-c", empresa);
        second.subscribe(Channel.empresa(empresa));
        RealtimeEvent event = event(empresa, EventType.CONVERSATION_UPDATED, Channel.empresa(empresa));
        publish(empresa, event);
        second.awaitFrame(f -> event.id().equals(f.path("id").asString()), WITHIN);
    }

    @Test
    void shouldAcceptTokenFromSecWebSocketProtocolAndEchoOnlyTheProtocolName() throws Exception {
        Collector frames = new Collector();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("chatcentral.v1", "bearer." + AgentTokens.atendente("user-p", EMPRESA_A))
                .buildAsync(URI.create(wsUrl), frames).get(10, TimeUnit.SECONDS);
        try {
            assertThat(socket.getSubprotocol()).isEqualTo("chatcentral.v1");
            await().atMost(WITHIN).until(() -> !frames.texts.isEmpty());
            assertThat(Json.MAPPER.readTree(frames.texts.get(0)).path("userId").asString()).isEqualTo("user-p");
        } finally {
            socket.abort();
        }
    }

    @Test
    void shouldKeepConnectionOpenPastOldExpiryAfterRefreshAndRefuseTokenOfAnotherUser() throws Exception {
        WebSocketTestClient client = connectReady(AgentTokens.mint(AgentTokens.DEV_SECRET, "user-r", EMPRESA_A,
                List.of("atendente"), Instant.now().plusSeconds(2)));

        client.send(refresh(AgentTokens.atendente("someone-else", EMPRESA_A)));
        JsonNode refused = client.awaitFrame(f -> type(f, "error"), WITHIN);
        assertThat(refused.path("code").asString()).isEqualTo("refresh_refused");
        client.send(refresh(AgentTokens.atendente("user-r", EMPRESA_B)));
        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == 2);

        Instant later = Instant.now().plusSeconds(600);
        client.send(refresh(AgentTokens.mint(AgentTokens.DEV_SECRET, "user-r", EMPRESA_A, List.of("atendente"), later)));
        JsonNode refreshed = client.awaitFrame(f -> type(f, "refreshed"), WITHIN);
        assertThat(Instant.parse(refreshed.path("expiresAt").asString())).isAfter(Instant.now().plusSeconds(500));

        Thread.sleep(2_500);
        client.send("{\"type\":\"ping\"}");
        client.awaitFrame(f -> type(f, "pong"), WITHIN);
        assertThat(client.closeCode()).isNotDone();
    }

    @Test
    void shouldCloseWith4001AfterClosingFrameWhenTokenExpires() throws Exception {
        WebSocketTestClient client = connectReady(AgentTokens.mint(AgentTokens.DEV_SECRET, "user-x", EMPRESA_A,
                List.of("atendente"), Instant.now().plusSeconds(2)));

        assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(4001);
        assertThat(client.framesOfType("closing")).singleElement()
                .satisfies(f -> assertThat(f.path("code").asInt()).isEqualTo(4001));
    }

    @Test
    void shouldCloseWith4008WhenClientAnswersNoPing() throws Exception {
        try (RawWebSocket silent = RawWebSocket.connect(port, AgentTokens.atendente("user-s", EMPRESA_A), 65536)) {
            long start = System.nanoTime();
            List<Integer> opcodes = new ArrayList<>();
            int code;
            while (true) {
                RawWebSocket.Frame frame = silent.read();
                opcodes.add(frame.opcode());
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    code = ((frame.payload()[0] & 0xff) << 8) | (frame.payload()[1] & 0xff);
                    break;
                }
            }
            assertThat(code).isEqualTo(4008);
            assertThat(opcodes).contains(RawWebSocket.PING);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1_400),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldCloseSlowConsumerWith4500InsteadOfQueueingWithoutBound() throws Exception {
        String empresa = "emp-slow";
        Counter overflows = gateway.getBean(MeterRegistry.class).counter(RealtimeMetrics.ERRORS, "code", "slow_consumer");
        double before = overflows.count();
        try (RawWebSocket slow = RawWebSocket.connect(port, AgentTokens.atendente("user-slow", empresa), 4096)) {
            awaitText(slow, "connected");
            slow.sendText("{\"type\":\"subscribe\",\"channel\":\"" + Channel.empresa(empresa) + "\"}");
            awaitText(slow, "subscribed");

            String padding = "x".repeat(32 * 1024);
            for (int i = 0; i < 800 && overflows.count() == before; i++) {
                RealtimeEvent big = new RealtimeEvent(UUID.randomUUID().toString(), empresa,
                        EventType.CONVERSATION_UPDATED, List.of(Channel.empresa(empresa)),
                        Json.MAPPER.createObjectNode().put("padding", padding), Instant.now());
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), empresa, big));
                if (i % 20 == 0) {
                    producer.flush();
                    slow.sendText("{\"type\":\"ping\"}");
                }
            }
            await().atMost(WITHIN).until(() -> overflows.count() > before);

            assertThat(slow.readUntilClose()).isEqualTo(4500);
        }
        WebSocketTestClient healthy = connectReady("user-ok", empresa);
        healthy.send("{\"type\":\"ping\"}");
        healthy.awaitFrame(f -> type(f, "pong"), WITHIN);
    }

    @Test
    void shouldAnswerRateLimitedAndCloseWith4029WhenFloodGoesOn() throws Exception {
        WebSocketTestClient client = connectReady("user-f", EMPRESA_A);

        for (int i = 0; i < 200 && !client.closeCode().isDone(); i++) {
            client.send("{\"type\":\"ping\"}");
        }

        assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(4029);
        assertThat(client.framesOfType("error")).isNotEmpty()
                .allMatch(f -> "rate_limited".equals(f.path("code").asString()));
        assertThat(client.framesOfType("pong")).hasSizeBetween(40, 80);
    }

    @Test
    void shouldAnswerBadCommandToMalformedCommandFramesAndBadFrameToBadSince() {
        WebSocketTestClient client = connectReady("user-a", EMPRESA_A);

        client.send("{\"type\":\"command\",\"command\":\"assign\",\"conversaId\":\"x\"}");
        client.send("{\"type\":\"subscribe\",\"channel\":\"" + Channel.empresa(EMPRESA_A) + "\",\"since\":\"ten\"}");
        client.send("{\"type\":\"subscribe\",\"channel\":\"" + Channel.empresa(EMPRESA_A) + "\",\"since\":-2}");
        client.send("{\"type\":\"presence\",\"status\":\"dancing\"}");

        await().atMost(WITHIN).until(() -> client.framesOfType("error").size() == 4);
        assertThat(client.framesOfType("error")).extracting(f -> f.path("code").asString())
                .containsExactly("bad_command", "bad_frame", "bad_frame", "bad_frame");
    }

    @Test
    void shouldPublishTypingAndPresenceSignalsKeyedByEmpresaAndRefuseTypingInOtherEmpresasConversa() {
        String own = database.seedConversa(EMPRESA_A);
        String other = database.seedConversa(EMPRESA_B);
        TopicPartition partition = new TopicPartition(Topics.SIGNALS.name(),
                EmpresaPartition.of(EMPRESA_A, TopicCatalog.DEFAULT_PARTITIONS));
        try (KafkaConsumer<String, Signal> signals = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.SIGNALS.keySerde().deserializer(), Topics.SIGNALS.valueSerde().deserializer())) {
            signals.assign(List.of(partition));
            signals.seekToEnd(List.of(partition));
            signals.position(partition);
            WebSocketTestClient client = connectReady("user-t", EMPRESA_A);

            client.send("{\"type\":\"typing_start\",\"conversaId\":\"" + own + "\"}");
            client.send("{\"type\":\"typing_stop\",\"conversaId\":\"" + own + "\"}");
            client.send("{\"type\":\"presence\",\"status\":\"ausente\"}");
            client.send("{\"type\":\"typing_start\",\"conversaId\":\"" + other + "\"}");

            List<ConsumerRecord<String, Signal>> received = new ArrayList<>();
            // session_opened/closed are presence's business (PresenceIntegrationTest); only the client's own count here
            await().atMost(WITHIN).until(() -> {
                signals.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (!r.value().type().startsWith("session_")) {
                        received.add(r);
                    }
                });
                return received.size() >= 3;
            });
            assertThat(received).allMatch(r -> EMPRESA_A.equals(r.key()));
            // a typing stop reaches presence after the typing-signal linger, in case the atendente types on
            assertThat(received).extracting(r -> r.value().type())
                    .containsExactly("typing_start", "status_changed", "typing_stop");
            Signal typing = received.get(0).value();
            assertThat(typing.userId()).isEqualTo("user-t");
            assertThat(typing.conversaId()).isEqualTo(own);
            assertThat(typing.sessionId()).isNotBlank();
            assertThat(typing.nodeId()).isNotBlank();
            assertThat(received.get(1).value().status()).isEqualTo("ausente");
            JsonNode forbidden = client.awaitFrame(f -> type(f, "error"), WITHIN);
            assertThat(forbidden.path("code").asString()).isEqualTo("forbidden");
            assertThat(signals.poll(QUIET)).noneMatch(r -> !r.value().type().startsWith("session_"));
        }
    }

    @Test
    void shouldCountConnectionsAndDeliveryLatencyTaggedWithNode() throws Exception {
        MeterRegistry registry = gateway.getBean(MeterRegistry.class);
        WebSocketTestClient client = connectReady("user-m", EMPRESA_A);
        client.subscribe(Channel.empresa(EMPRESA_A));
        RealtimeEvent event = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.empresa(EMPRESA_A));
        publish(EMPRESA_A, event);
        client.awaitFrame(f -> event.id().equals(f.path("id").asString()), WITHIN);

        String node = gateway.getBean(GatewayNode.class).id();
        assertThat(registry.get(RealtimeMetrics.OPENED).tag("transport", "websocket").tag("node", node).counter()
                .count()).isPositive();
        assertThat(registry.get(RealtimeMetrics.ACTIVE).tag("transport", "websocket").gauge().value()).isPositive();
        await().atMost(WITHIN).until(() -> registry.get(RealtimeMetrics.LATENCY).timer().count() > 0);
    }

    private static String refresh(String token) {
        return "{\"type\":\"refresh\",\"token\":\"" + token + "\"}";
    }

    private static void awaitText(RawWebSocket socket, String type) throws Exception {
        while (true) {
            RawWebSocket.Frame frame = socket.read();
            if (frame.opcode() == RawWebSocket.TEXT && type.equals(Json.MAPPER.readTree(frame.text()).path("type").asString())) {
                return;
            }
        }
    }

    private WebSocketTestClient connect(String userId, String empresaId) {
        WebSocketTestClient client = WebSocketTestClient.connect(wsUrl, AgentTokens.atendente(userId, empresaId));
        clients.add(client);
        return client;
    }

    private WebSocketTestClient connectReady(String userId, String empresaId) {
        return connectReady(AgentTokens.atendente(userId, empresaId));
    }

    /** Connects and waits for "connected", after which every newly written event of the empresa is delivered. */
    private WebSocketTestClient connectReady(String token) {
        WebSocketTestClient client = WebSocketTestClient.connect(wsUrl, token);
        clients.add(client);
        client.awaitFrame(f -> type(f, "connected"), WITHIN);
        return client;
    }

    private static JsonNode subscribeError(WebSocketTestClient client, String channel) {
        client.send("{\"type\":\"subscribe\",\"channel\":" + Json.MAPPER.writeValueAsString(channel) + "}");
        JsonNode error = client.awaitFrame(f -> type(f, "error") && channel.equals(f.path("channel").asString()),
                WITHIN);
        try {
            Thread.sleep(QUIET.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(client.framesOfType("subscribed")).noneMatch(f -> channel.equals(f.path("channel").asString()));
        return error;
    }

    private static List<JsonNode> framesWithId(WebSocketTestClient client, String id) {
        return client.frames().stream().filter(f -> id.equals(f.path("id").asString())).toList();
    }

    private static boolean type(JsonNode frame, String type) {
        return type.equals(frame.path("type").asString());
    }

    private static RealtimeEvent event(String empresaId, String type, String... channels) {
        return new RealtimeEvent(UUID.randomUUID().toString(), empresaId, type, List.of(channels),
                Json.MAPPER.createObjectNode().put("conversaId", UUID.randomUUID().toString()).put("unreadCount", 3),
                Instant.parse("2025-10-21T14:30:00.123Z"));
    }

    private static RecordMetadata publish(String key, RealtimeEvent event) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, event)).get(10, TimeUnit.SECONDS);
    }


    /** The HTTP status a refused handshake was answered with, or 101 when the upgrade happened. */
    private static int handshakeStatus(URI uri, String authorization) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            builder.buildAsync(uri, new Collector()).join().abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static final class Collector implements WebSocket.Listener {
        private final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            texts.add(data.toString());
            webSocket.request(1);
            return null;
        }
    }
}
