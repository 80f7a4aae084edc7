package dev.chatcentral.processor.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The presence topology's side of the fast lane (issue 21): the gateway node that takes a typing frame puts its start
 * or stop on {@code chat.ephemeral} itself, so the topology hands over only the stops it decides (the timeout, the
 * last session closing, a dead node), at once, with the id and the time they have in {@code chat.events}; frames'
 * edges and presence changes keep to {@code chat.events}; malformed signals hand nothing.
 */
class PresenceFastLaneTest {

    private static final String EMPRESA = "emp-1";
    private static final String OTHER_EMPRESA = "emp-2";
    private static final String NODE_A = "gateway-a";
    private static final long EPOCH = 1_000L;
    private static final Instant START = Instant.parse("2025-10-21T14:40:40Z");

    @TempDir
    Path stateDir;

    private final List<TestRecord<String, RealtimeEvent>> fastLane = new CopyOnWriteArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> signals;
    private TestInputTopic<String, byte[]> heartbeats;
    private TestOutputTopic<String, RealtimeEvent> events;
    private Instant now = START;

    @BeforeEach
    void startDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "presence-fast-lane-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        PresenceSettings settings = new PresenceSettings(Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(10), Duration.ofSeconds(8), (topic, reason) -> { }, true,
                (stage, reason, empresaId) -> { }, new PoisonRecords());
        driver = new TopologyTestDriver(PresenceTopology.build(settings, (event, timestamp) ->
                fastLane.add(new TestRecord<>(event.empresaId(), event, Instant.ofEpochMilli(timestamp)))),
                config, START);
        signals = driver.createInputTopic(Topics.SIGNALS.name(), new StringSerializer(), new ByteArraySerializer());
        heartbeats = driver.createInputTopic(Topics.NODE_HEARTBEATS.name(), new StringSerializer(),
                new ByteArraySerializer());
        events = driver.createOutputTopic(Topics.EVENTS.name(), new StringDeserializer(),
                Topics.EVENTS.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(Signal signal) {
        signals.pipeInput(signal.empresaId(), Topics.SIGNALS.valueSerde().serializer().serialize("", signal), now);
    }

    private void open(String empresaId, String userId, String sessionId) {
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, sessionId, empresaId, userId, "Nome " + userId, null,
                null, now));
    }

    private void close(String empresaId, String userId, String sessionId) {
        send(new Signal(Signal.SESSION_CLOSED, NODE_A, null, sessionId, empresaId, userId, null, null, null, now));
    }

    private void typing(String type, String empresaId, String userId, String conversaId) {
        send(new Signal(type, NODE_A, null, "s-any", empresaId, userId, null, conversaId, null, now));
    }

    private void heartbeat() {
        heartbeats.pipeInput(NODE_A, Topics.NODE_HEARTBEATS.valueSerde().serializer()
                .serialize("", new NodeHeartbeat(NODE_A, EPOCH, now)), now);
    }

    private void advance(int seconds) {
        for (int s = 0; s < seconds; s++) {
            now = now.plusSeconds(1);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    private List<String> fastLaneTyping() {
        return fastLane.stream().map(r -> r.value().type() + " " + r.key() + " "
                + r.value().data().get("userId").stringValue() + " " + r.value().data().get("conversaId").stringValue())
                .toList();
    }

    private List<RealtimeEvent> durableTyping() {
        return events.readValuesToList().stream().filter(e -> e.type().startsWith("typing_")).toList();
    }

    @Test
    void shouldLeaveTheEdgesOfTypingFramesToTheGatewayAndKeepTheirRecordInChatEvents() {
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_STOP, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_STOP, EMPRESA, "ana", "conv-1");

        assertThat(fastLane).isEmpty();
        List<RealtimeEvent> durable = durableTyping();
        assertThat(durable).extracting(RealtimeEvent::type).containsExactly(EventType.TYPING_START,
                EventType.TYPING_STOP);
        assertThat(durable.get(0).data().get("name").stringValue()).isEqualTo("Nome ana");
    }

    @Test
    void shouldHandEachEmpresasStopsToTheFastLaneInTheOrderOfChatEventsUnderItsOwnKey() {
        open(EMPRESA, "ana", "s1");
        open(OTHER_EMPRESA, "bia", "s2");
        for (int i = 0; i < 3; i++) {
            typing(Signal.TYPING_START, EMPRESA, "ana", "conv-" + i);
            typing(Signal.TYPING_START, OTHER_EMPRESA, "bia", "conv-" + i);
        }
        close(EMPRESA, "ana", "s1");
        close(OTHER_EMPRESA, "bia", "s2");

        assertThat(fastLaneTyping()).containsExactly(
                "typing_stop emp-1 ana conv-0", "typing_stop emp-1 ana conv-1", "typing_stop emp-1 ana conv-2",
                "typing_stop emp-2 bia conv-0", "typing_stop emp-2 bia conv-1", "typing_stop emp-2 bia conv-2");
        assertThat(fastLane).allMatch(r -> r.key().equals(r.value().empresaId()));
        assertThat(fastLane).extracting(TestRecord::value).containsExactlyElementsOf(durableTyping().stream()
                .filter(e -> e.type().equals(EventType.TYPING_STOP)).toList());
    }

    @Test
    void shouldHandTheStopOfTypingNobodyRefreshedToTheFastLaneDatedATimeoutAfterItsLastStart() {
        heartbeat();
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        heartbeat();
        advance(2);
        Instant lastStart = now;
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        for (int s = 0; s < 5; s++) {
            heartbeat();
            advance(2);
        }
        heartbeat();
        advance(1);

        assertThat(fastLaneTyping()).containsExactly("typing_stop emp-1 ana conv-1");
        // a start the gateway reports after that moment is later, so gateways keep showing it
        assertThat(fastLane.get(0).value().ts()).isEqualTo(lastStart.plusSeconds(10));
        List<RealtimeEvent> durable = durableTyping();
        assertThat(durable.get(durable.size() - 1)).isEqualTo(fastLane.get(0).value());
    }

    @Test
    void shouldHandTheStopsToTheFastLaneWhenTheLastSessionCloses() {
        open(EMPRESA, "ana", "s1");
        open(EMPRESA, "ana", "s2");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-2");

        close(EMPRESA, "ana", "s1");
        assertThat(fastLane).isEmpty();
        close(EMPRESA, "ana", "s2");

        assertThat(fastLaneTyping()).containsExactly("typing_stop emp-1 ana conv-1", "typing_stop emp-1 ana conv-2");
        assertThat(fastLane).allMatch(r -> r.value().ts().equals(now));
    }

    @Test
    void shouldHandTheStopToTheFastLaneWhenTheTypistsNodeDiesMidTyping() {
        heartbeat();
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        // the node beats no more; the atendente keeps "typing" as far as the last signal said
        advance(7);
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        assertThat(fastLane).isEmpty();

        advance(3);

        assertThat(fastLaneTyping()).containsExactly("typing_stop emp-1 ana conv-1");
    }

    @Test
    void shouldAnnounceTypingAgainInChatEventsWhileItGoesOnPastHalfTheTimeout() {
        heartbeat();
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        for (int s = 0; s < 12; s++) {
            heartbeat();
            advance(1);
            // a browser repeats its start every second or so while the atendente types
            typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        }
        typing(Signal.TYPING_STOP, EMPRESA, "ana", "conv-1");

        // at 0 s, then at 6 s and 12 s: once more than half the timeout (10 s) passed, as the gateway does on the
        // fast lane, so the record shows what clients were shown
        List<RealtimeEvent> durable = durableTyping();
        assertThat(durable).extracting(RealtimeEvent::type).containsExactly(EventType.TYPING_START,
                EventType.TYPING_START, EventType.TYPING_START, EventType.TYPING_STOP);
        assertThat(durable).extracting(RealtimeEvent::id).doesNotHaveDuplicates();
        assertThat(durable).extracting(RealtimeEvent::ts).isSorted();
        assertThat(fastLane).isEmpty();
    }

    @Test
    void shouldHandNothingToTheFastLaneForHostileSignalsWhileAnotherEmpresasStopGoesThrough() {
        open(EMPRESA, "ana", "s1");
        signals.pipeInput(EMPRESA, "not json".getBytes(StandardCharsets.UTF_8), now);
        signals.pipeInput(EMPRESA, new byte[0], now);
        signals.pipeInput(EMPRESA, null, now);
        signals.pipeInput(EMPRESA, ("{\"type\":\"typing_start\",\"empresaId\":\"emp-1\",\"userId\":\"ana\","
                + "\"conversaId\":[\"conv-1\"],\"ts\":\"2025-10-21T14:40:40Z\"}").getBytes(StandardCharsets.UTF_8), now);
        typing(Signal.TYPING_START, EMPRESA, "ana", null);
        typing(Signal.TYPING_START, EMPRESA, "ana", "");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv:1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-\u00001");
        typing(Signal.TYPING_START, EMPRESA, "ana", "c".repeat(100_000));
        typing(Signal.TYPING_START, "emp:1", "ana", "conv-1");
        // keyed by one empresa, naming another
        signals.pipeInput(OTHER_EMPRESA, Topics.SIGNALS.valueSerde().serializer().serialize("",
                new Signal(Signal.TYPING_START, NODE_A, null, "s1", EMPRESA, "ana", null, "conv-1", null, now)), now);
        close(EMPRESA, "ana", "s1");
        assertThat(fastLane).isEmpty();

        open(OTHER_EMPRESA, "bia", "s2");
        typing(Signal.TYPING_START, OTHER_EMPRESA, "bia", "conv-9");
        close(OTHER_EMPRESA, "bia", "s2");

        assertThat(fastLaneTyping()).containsExactly("typing_stop emp-2 bia conv-9");
    }
}
