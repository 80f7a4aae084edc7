package dev.chatcentral.gateway.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * The gateway's side of the fast lane (issue 21), on a real broker: the test writes {@code chat.ephemeral} and
 * {@code chat.events} as the stream-processor does, and watches what clients get. Typing is shown from the fast lane
 * at once, even while the processor's transaction is open; it has no position, is never replayed, and its durable
 * copy in {@code chat.events} is not shown again; the empresa's order, tenant isolation and the channel rules hold;
 * stale starts and hostile records are not shown; a node started late shows no typing from before it. And the
 * gateway's own writes to it: an atendente's typing frame is put on the fast lane by the node that took it, with no
 * processor in the way, once per episode (again past half the timeout), dated as its signal; a stop that crossed a
 * later start of the same typist is not shown.
 */
class FastLaneIntegrationTest {

    private static final String EMPRESA_A = "emp-fast-a";
    private static final String EMPRESA_B = "emp-fast-b";
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(700);
    /** Long enough that a stop signalled at once and one held back for the linger cannot be mistaken. */
    private static final Duration SIGNAL_LINGER = Duration.ofSeconds(4);

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext gateway;
    private static KafkaProducer<String, String> fastLane;
    private static KafkaProducer<String, String> processor;
    private static final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        gateway = TestGateway.start(kafka, database, "--chatcentral.gateway.node.id=gateway-fast-a",
                "--chatcentral.gateway.realtime.poll-timeout=5s",
                "--chatcentral.gateway.signal.typing-signal-linger=" + SIGNAL_LINGER.toMillis() + "ms");
        // raw JSON, so the test can also write what no serializer would
        fastLane = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024),
                Serdes.String().serializer(), Serdes.String().serializer());
        processor = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fast-lane-test-processor"),
                Serdes.String().serializer(), Serdes.String().serializer());
        processor.initTransactions();
    }

    @AfterAll
    static void stop() {
        fastLane.close();
        processor.close();
        gateway.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WebSocketTestClient::close);
    }

    @Test
    void shouldShowFastLaneTypingAtOnceWhileTheProcessorsTransactionIsStillOpenAndOnlyOnce() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        RealtimeEvent start = typing(EventType.TYPING_START, EMPRESA_A, conversaId, "bia");
        RealtimeEvent update = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.conversa(conversaId));

        // the processor decided both; its transaction holds them until it commits
        processor.beginTransaction();
        processor.send(new ProducerRecord<>(Topics.EVENTS.name(), EMPRESA_A, json(start)));
        processor.send(new ProducerRecord<>(Topics.EVENTS.name(), EMPRESA_A, json(update)));
        processor.flush();
        long written = System.nanoTime();
        writeFastLane(EMPRESA_A, start, System.currentTimeMillis());

        JsonNode shown = ana.awaitFrame(f -> start.id().equals(f.path("id").asString()), WITHIN);
        Duration after = Duration.ofNanos(System.nanoTime() - written);
        assertThat(ana.framesOfType(EventType.CONVERSATION_UPDATED)).isEmpty();
        assertThat(shown.path("type").asString()).isEqualTo(EventType.TYPING_START);
        assertThat(shown.path("channel").asString()).isEqualTo(Channel.conversa(conversaId));
        assertThat(shown.path("ephemeral").asBoolean()).isTrue();
        assertThat(shown.has("position")).isFalse();
        assertThat(shown.path("data").path("userId").asString()).isEqualTo("bia");
        assertThat(after).isLessThan(Duration.ofSeconds(2));

        processor.commitTransaction();
        ana.awaitFrame(f -> update.id().equals(f.path("id").asString()), WITHIN);
        Thread.sleep(QUIET.toMillis());
        // the durable copy is the record, not a second indicator
        assertThat(ana.frames()).filteredOn(f -> start.id().equals(f.path("id").asString())).hasSize(1);
    }

    @Test
    void shouldShowOneEmpresasTypingInTheOrderItWasWritten() {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RealtimeEvent event = typing(i % 2 == 0 ? EventType.TYPING_START : EventType.TYPING_STOP, EMPRESA_A,
                    conversaId, "user-" + i / 2);
            written.add(event.id());
            writeFastLane(EMPRESA_A, event, System.currentTimeMillis());
        }

        ana.awaitFrame(f -> written.get(19).equals(f.path("id").asString()), WITHIN);
        assertThat(typingFrames(ana)).extracting(f -> f.path("id").asString()).containsExactlyElementsOf(written);
    }

    @Test
    void shouldNeverShowOneEmpresasTypingToAnotherEvenWhenARecordIsMislabelled() throws Exception {
        String conversaA = database.seedConversa(EMPRESA_A);
        String conversaB = database.seedConversa(EMPRESA_B);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        WebSocketTestClient caio = connect(gateway, "caio", EMPRESA_B);
        ana.subscribe(Channel.conversa(conversaA));
        caio.subscribe(Channel.conversa(conversaB));

        // A's typing aimed at B's conversa, and a record keyed by B that names A
        writeFastLane(EMPRESA_A, typing(EventType.TYPING_START, EMPRESA_A, conversaB, "ana"), now());
        writeFastLane(EMPRESA_B, typing(EventType.TYPING_START, EMPRESA_A, conversaA, "ana"), now());
        RealtimeEvent ownB = typing(EventType.TYPING_START, EMPRESA_B, conversaB, "dani");
        RealtimeEvent ownA = typing(EventType.TYPING_START, EMPRESA_A, conversaA, "bia");
        writeFastLane(EMPRESA_B, ownB, now());
        writeFastLane(EMPRESA_A, ownA, now());

        caio.awaitFrame(f -> ownB.id().equals(f.path("id").asString()), WITHIN);
        ana.awaitFrame(f -> ownA.id().equals(f.path("id").asString()), WITHIN);
        Thread.sleep(QUIET.toMillis());
        assertThat(typingFrames(caio)).extracting(f -> f.path("id").asString()).containsExactly(ownB.id());
        assertThat(typingFrames(ana)).extracting(f -> f.path("id").asString()).containsExactly(ownA.id());
    }

    @Test
    void shouldNotShowStaleStartsButStillShowStops() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        long elevenSecondsAgo = System.currentTimeMillis() - 11_000;

        writeFastLane(EMPRESA_A, typing(EventType.TYPING_START, EMPRESA_A, conversaId, "bia"), elevenSecondsAgo);
        RealtimeEvent oldStop = typing(EventType.TYPING_STOP, EMPRESA_A, conversaId, "bia");
        writeFastLane(EMPRESA_A, oldStop, elevenSecondsAgo);
        RealtimeEvent fresh = typing(EventType.TYPING_START, EMPRESA_A, conversaId, "caio");
        writeFastLane(EMPRESA_A, fresh, now());

        ana.awaitFrame(f -> fresh.id().equals(f.path("id").asString()), WITHIN);
        assertThat(typingFrames(ana)).extracting(f -> f.path("id").asString())
                .containsExactly(oldStop.id(), fresh.id());
    }

    @Test
    void shouldShowNoTypingFromBeforeItStartedOnANodeStartedLate() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        RealtimeEvent before = typing(EventType.TYPING_START, EMPRESA_A, conversaId, "bia");
        writeFastLane(EMPRESA_A, before, now());
        ConfigurableApplicationContext late = TestGateway.start(kafka, database,
                "--chatcentral.gateway.node.id=gateway-fast-late");
        try {
            WebSocketTestClient ana = connect(late, "ana", EMPRESA_A);
            ana.subscribe(Channel.conversa(conversaId));
            RealtimeEvent after = typing(EventType.TYPING_STOP, EMPRESA_A, conversaId, "bia");
            writeFastLane(EMPRESA_A, after, now());

            ana.awaitFrame(f -> after.id().equals(f.path("id").asString()), WITHIN);
            assertThat(typingFrames(ana)).extracting(f -> f.path("id").asString()).containsExactly(after.id());
        } finally {
            late.close();
        }
    }

    @Test
    void shouldNeitherReplayNorRedeliverTypingFromChatEvents() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        RealtimeEvent durableOnly = typing(EventType.TYPING_START, EMPRESA_A, conversaId, "bia");
        RealtimeEvent update = event(EMPRESA_A, EventType.CONVERSATION_UPDATED, Channel.conversa(conversaId));
        processor.beginTransaction();
        processor.send(new ProducerRecord<>(Topics.EVENTS.name(), EMPRESA_A, json(durableOnly)));
        processor.send(new ProducerRecord<>(Topics.EVENTS.name(), EMPRESA_A, json(update)));
        processor.commitTransaction();
        ana.awaitFrame(f -> update.id().equals(f.path("id").asString()), WITHIN);

        WebSocketTestClient resumed = connect(gateway, "ana", EMPRESA_A);
        resumed.send("{\"type\":\"subscribe\",\"channel\":\"" + Channel.conversa(conversaId) + "\",\"since\":-1}");
        resumed.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);

        assertThat(resumed.frames()).anyMatch(f -> update.id().equals(f.path("id").asString()));
        assertThat(typingFrames(resumed)).isEmpty();
        assertThat(typingFrames(ana)).isEmpty();
    }

    @Test
    void shouldAnswerAWaitingLongPollWithTypingWithoutMovingItsPosition() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        String channel = Channel.conversa(conversaId);
        JsonNode first = poll(channel, null).get(10, TimeUnit.SECONDS);
        long position = first.path("position").asLong();

        CompletableFuture<JsonNode> waiting = poll(channel, position);
        Thread.sleep(QUIET.toMillis());
        RealtimeEvent start = typing(EventType.TYPING_START, EMPRESA_A, conversaId, "bia");
        writeFastLane(EMPRESA_A, start, now());

        JsonNode answer = waiting.get(10, TimeUnit.SECONDS);
        assertThat(answer.path("position").asLong()).isEqualTo(position);
        assertThat(answer.path("events")).hasSize(1);
        assertThat(answer.path("events").get(0).path("id").asString()).isEqualTo(start.id());
        assertThat(answer.path("events").get(0).path("ephemeral").asBoolean()).isTrue();
    }

    @Test
    void shouldShowNothingOfHostileFastLaneRecordsWhileAnotherEmpresasTypingGoesThrough() throws Exception {
        String conversaA = database.seedConversa(EMPRESA_A);
        String conversaB = database.seedConversa(EMPRESA_B);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        WebSocketTestClient caio = connect(gateway, "caio", EMPRESA_B);
        ana.subscribe(Channel.conversa(conversaA));
        ana.subscribe(Channel.empresa(EMPRESA_A));
        caio.subscribe(Channel.conversa(conversaB));
        String channelA = Channel.conversa(conversaA);

        List<String> hostile = List.of(
                "not json",
                "",
                "\u0000",
                "[]",
                "42",
                "{}",
                "{\"id\":\"h1\",\"empresaId\":\"" + EMPRESA_A + "\",\"type\":\"typing_start\"}",
                "{\"id\":\"h2\",\"empresaId\":\"" + EMPRESA_A + "\",\"type\":\"typing_start\",\"channels\":\"x\"}",
                "{\"id\":\"h3\",\"empresaId\":\"" + EMPRESA_A + "\",\"type\":\"typing_start\",\"channels\":[\""
                        + channelA + "\"],\"ts\":\"yesterday\"}",
                // not typing: presence and the rest keep the exactly-once path
                json(event(EMPRESA_A, EventType.PRESENCE_UPDATE, channelA)),
                json(event(EMPRESA_A, EventType.MESSAGE_NOTIFICATION, channelA)),
                // typing on a channel that is no conversa
                json(new RealtimeEvent("h4", EMPRESA_A, EventType.TYPING_START, List.of(Channel.empresa(EMPRESA_A)),
                        Json.MAPPER.createObjectNode(), Instant.now())),
                json(new RealtimeEvent("h5", EMPRESA_A, EventType.TYPING_START, List.of(channelA, "conversa:a:b"),
                        Json.MAPPER.createObjectNode(), Instant.now())),
                // huge
                json(new RealtimeEvent("h6", EMPRESA_A, EventType.TYPING_START, List.of(channelA),
                        Json.MAPPER.createObjectNode().put("conversaId", conversaA).put("pad", "x".repeat(1_000_000)),
                        Instant.now())));
        for (String value : hostile) {
            fastLane.send(new ProducerRecord<>(Topics.EPHEMERAL.name(), EMPRESA_A, value)).get(10, TimeUnit.SECONDS);
        }
        fastLane.send(new ProducerRecord<>(Topics.EPHEMERAL.name(), EMPRESA_A, null)).get(10, TimeUnit.SECONDS);
        fastLane.send(new ProducerRecord<>(Topics.EPHEMERAL.name(), null,
                json(typing(EventType.TYPING_START, EMPRESA_A, conversaA, "x")))).get(10, TimeUnit.SECONDS);
        RealtimeEvent ownB = typing(EventType.TYPING_START, EMPRESA_B, conversaB, "dani");
        writeFastLane(EMPRESA_B, ownB, now());
        RealtimeEvent ownA = typing(EventType.TYPING_START, EMPRESA_A, conversaA, "bia");
        writeFastLane(EMPRESA_A, ownA, now());

        caio.awaitFrame(f -> ownB.id().equals(f.path("id").asString()), WITHIN);
        ana.awaitFrame(f -> ownA.id().equals(f.path("id").asString()), WITHIN);
        assertThat(ana.frames()).filteredOn(f -> f.has("id") || f.path("type").asString().equals("error"))
                .extracting(f -> f.path("id").asString()).containsExactly(ownA.id());
        assertThat(ana.closeCode()).isNotDone();
    }

    @Test
    void shouldShowAnAtendentesTypingFramesFromTheFastLaneWithNoProcessorRunningOncePerEpisode() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        WebSocketTestClient bia = connect(gateway, "bia", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        bia.subscribe(Channel.conversa(conversaId));

        for (int i = 0; i < 3; i++) {
            bia.send(typingFrame(EventType.TYPING_START, conversaId));
        }
        JsonNode start = ana.awaitFrame(f -> EventType.TYPING_START.equals(f.path("type").asString()), WITHIN);
        bia.send(typingFrame(EventType.TYPING_STOP, conversaId));
        JsonNode stop = ana.awaitFrame(f -> EventType.TYPING_STOP.equals(f.path("type").asString()), WITHIN);
        Thread.sleep(QUIET.toMillis());

        // three frames a moment apart are one start: the next announcement is due half a timeout later
        assertThat(typingFrames(ana)).hasSize(2);
        assertThat(start.path("ephemeral").asBoolean()).isTrue();
        assertThat(start.has("position")).isFalse();
        assertThat(start.path("data").path("userId").asString()).isEqualTo("bia");
        assertThat(start.path("data").path("who").asString()).isEqualTo("atendente");
        assertThat(stop.path("data").path("userId").asString()).isEqualTo("bia");
        // presence hears of the episode once, its start at once and its stop after the linger, each dated as the
        // event the other nodes showed
        List<Signal> started = signals(conversaId);
        assertThat(started).extracting(Signal::type).containsExactly(Signal.TYPING_START);
        assertThat(started.get(0).ts()).isEqualTo(Instant.parse(start.path("ts").asString()));
        List<Signal> stopped = awaitSignals(conversaId, 2, SIGNAL_LINGER.plus(WITHIN));
        assertThat(stopped).extracting(Signal::type).containsExactly(Signal.TYPING_START, Signal.TYPING_STOP);
        assertThat(stopped.get(1).ts()).isEqualTo(Instant.parse(stop.path("ts").asString()));
    }

    @Test
    void shouldNotTellPresenceOfAPauseWhenTheAtendenteTypesOnWithinTheLinger() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        WebSocketTestClient bia = connect(gateway, "bia", EMPRESA_A);

        for (String type : List.of(EventType.TYPING_START, EventType.TYPING_STOP, EventType.TYPING_START,
                EventType.TYPING_STOP, EventType.TYPING_START)) {
            bia.send(typingFrame(type, conversaId));
            Thread.sleep(100);
        }
        Thread.sleep(SIGNAL_LINGER.plus(QUIET).toMillis());

        // the other nodes saw every flip; presence, which only ends typing nobody ends, holds one start throughout
        assertThat(typingFrames(ana)).extracting(f -> f.path("type").asString()).containsExactly(
                EventType.TYPING_START, EventType.TYPING_STOP, EventType.TYPING_START, EventType.TYPING_STOP,
                EventType.TYPING_START);
        assertThat(signals(conversaId)).extracting(Signal::type).containsExactly(Signal.TYPING_START);
    }

    @Test
    void shouldSignalAHeldStopAtOnceWhenTheTypistsSessionCloses() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient bia = connect(gateway, "bia", EMPRESA_A);
        bia.send(typingFrame(EventType.TYPING_START, conversaId));
        awaitSignals(conversaId, 1, WITHIN);
        bia.send(typingFrame(EventType.TYPING_STOP, conversaId));
        Thread.sleep(QUIET.toMillis());
        assertThat(signals(conversaId)).hasSize(1);

        long closedAt = System.nanoTime();
        bia.close();
        assertThat(awaitSignals(conversaId, 2, WITHIN)).extracting(Signal::type)
                .containsExactly(Signal.TYPING_START, Signal.TYPING_STOP);
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(SIGNAL_LINGER);
    }

    private static List<Signal> signals(String conversaId) {
        return kafka.readCommitted(Topics.SIGNALS.name()).stream()
                .map(r -> Topics.SIGNALS.valueSerde().deserializer().deserialize("", r.value()))
                .filter(signal -> conversaId.equals(signal.conversaId())).toList();
    }

    private static List<Signal> awaitSignals(String conversaId, int count, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<Signal> signals = signals(conversaId);
        while (signals.size() < count) {
            assertThat(System.nanoTime()).as(count + " signals of conversa " + conversaId + " within " + within)
                    .isLessThan(deadline);
            Thread.sleep(100);
            signals = signals(conversaId);
        }
        return signals;
    }

    @Test
    void shouldAnnounceAgainATypistWhoComesBackRightAfterTheirSessionEnded() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        WebSocketTestClient bia = connect(gateway, "bia", EMPRESA_A);
        bia.send(typingFrame(EventType.TYPING_START, conversaId));
        ana.awaitFrame(f -> EventType.TYPING_START.equals(f.path("type").asString()), WITHIN);

        // the processor stops typing whose last session ended: the start typed after coming back is news again
        bia.close();
        WebSocketTestClient back = connect(gateway, "bia", EMPRESA_A);
        // well within half the typing timeout (10 s), when a repeat of the first start would be announced anyway
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (typingFrames(ana).size() < 2) {
            assertThat(System.nanoTime()).as("a second start within 3 s").isLessThan(deadline);
            back.send(typingFrame(EventType.TYPING_START, conversaId));
            Thread.sleep(200);
        }
        assertThat(typingFrames(ana)).extracting(f -> f.path("type").asString())
                .containsExactly(EventType.TYPING_START, EventType.TYPING_START);
    }

    @Test
    void shouldNotPutARefusedTypingFrameOnTheFastLaneWhileAnotherEmpresasTypingGoesThrough() throws Exception {
        String conversaA = database.seedConversa(EMPRESA_A);
        String conversaB = database.seedConversa(EMPRESA_B);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        WebSocketTestClient caio = connect(gateway, "caio", EMPRESA_B);
        WebSocketTestClient dani = connect(gateway, "dani", EMPRESA_B);
        ana.subscribe(Channel.conversa(conversaA));
        caio.subscribe(Channel.conversa(conversaB));

        // B's atendente typing in A's conversa, and frames with no conversa to speak of
        dani.send(typingFrame(EventType.TYPING_START, conversaA));
        dani.send(typingFrame(EventType.TYPING_START, ""));
        dani.send(typingFrame(EventType.TYPING_START, "conv-\u0000" + "x".repeat(2_000)));
        dani.send("{\"type\":\"typing_start\",\"conversaId\":42}");
        dani.awaitFrame(f -> "forbidden".equals(f.path("code").asString()), WITHIN);
        dani.send(typingFrame(EventType.TYPING_START, conversaB));

        caio.awaitFrame(f -> EventType.TYPING_START.equals(f.path("type").asString()), WITHIN);
        Thread.sleep(QUIET.toMillis());
        assertThat(typingFrames(ana)).isEmpty();
        assertThat(dani.framesOfType("error")).hasSize(4);
        assertThat(typingFrames(caio)).extracting(f -> f.path("data").path("conversaId").asString())
                .containsExactly(conversaB);
    }

    @Test
    void shouldNotShowAStopThatCrossedALaterStartOfTheSameTypist() throws Exception {
        String conversaId = database.seedConversa(EMPRESA_A);
        WebSocketTestClient ana = connect(gateway, "ana", EMPRESA_A);
        ana.subscribe(Channel.conversa(conversaId));
        Instant expiredAt = Instant.now().minusMillis(50);

        // the gateway's new start, then the processor's stop for the typing that expired just before it
        RealtimeEvent start = typing(EventType.TYPING_START, EMPRESA_A, conversaId, "bia");
        writeFastLane(EMPRESA_A, start, now());
        writeFastLane(EMPRESA_A, dated(typing(EventType.TYPING_STOP, EMPRESA_A, conversaId, "bia"), expiredAt), now());
        // someone else's stop of the same age, and a customer's, are theirs
        RealtimeEvent othersStop = dated(typing(EventType.TYPING_STOP, EMPRESA_A, conversaId, "caio"), expiredAt);
        writeFastLane(EMPRESA_A, othersStop, now());
        RealtimeEvent customerStop = new RealtimeEvent(UUID.randomUUID().toString(), EMPRESA_A,
                EventType.TYPING_STOP, List.of(Channel.conversa(conversaId)), Json.MAPPER.createObjectNode()
                .put("conversaId", conversaId).put("who", "cliente"), expiredAt);
        writeFastLane(EMPRESA_A, customerStop, now());

        ana.awaitFrame(f -> customerStop.id().equals(f.path("id").asString()), WITHIN);
        assertThat(typingFrames(ana)).extracting(f -> f.path("id").asString())
                .containsExactly(start.id(), othersStop.id(), customerStop.id());
    }

    // --- helpers ---

    private WebSocketTestClient connect(ConfigurableApplicationContext node, String userId, String empresaId) {
        WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + TestGateway.port(node) + "/ws",
                AgentTokens.atendente(userId, empresaId));
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    private static List<JsonNode> typingFrames(WebSocketTestClient client) {
        return client.frames().stream().filter(f -> f.path("type").asString().startsWith("typing_")).toList();
    }

    private static CompletableFuture<JsonNode> poll(String channel, Long since) {
        String query = "channel=" + channel + (since == null ? "" : "&since=" + since);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestGateway.port(gateway)
                        + "/realtime/poll?" + query))
                .header("Authorization", "Bearer " + AgentTokens.atendente("poller", EMPRESA_A)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    return Json.MAPPER.readTree(response.body());
                });
    }

    private static RealtimeEvent typing(String type, String empresaId, String conversaId, String userId) {
        return new RealtimeEvent(UUID.randomUUID().toString(), empresaId, type, List.of(Channel.conversa(conversaId)),
                Json.MAPPER.createObjectNode().put("conversaId", conversaId).put("who", "atendente")
                        .put("userId", userId).put("name", userId), Instant.now());
    }

    private static RealtimeEvent dated(RealtimeEvent event, Instant ts) {
        return new RealtimeEvent(event.id(), event.empresaId(), event.type(), event.channels(), event.data(), ts);
    }

    private static String typingFrame(String type, String conversaId) {
        return Json.MAPPER.createObjectNode().put("type", type).put("conversaId", conversaId).toString();
    }

    private static RealtimeEvent event(String empresaId, String type, String channel) {
        return new RealtimeEvent(UUID.randomUUID().toString(), empresaId, type, List.of(channel),
                Json.MAPPER.createObjectNode().put("n", UUID.randomUUID().toString()), Instant.now());
    }

    private static String json(RealtimeEvent event) {
        return Json.MAPPER.writeValueAsString(event);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static void writeFastLane(String key, RealtimeEvent event, long timestamp) {
        try {
            fastLane.send(new ProducerRecord<>(Topics.EPHEMERAL.name(), null, timestamp, key, json(event)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
