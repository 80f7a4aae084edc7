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
 * The presence topology's side of the fast lane (issue 21): each typing edge it decides, whatever decided it (a
 * stop, the timeout, the last session closing, a dead node), is handed to {@code chat.ephemeral} at once, with the
 * id and in the order it has in {@code chat.events}; presence changes never are; malformed signals hand nothing.
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
    void shouldHandEachTypingEdgeToTheFastLaneWithItsIdInChatEventsAndNoPresenceChange() {
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_STOP, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_STOP, EMPRESA, "ana", "conv-1");

        assertThat(fastLaneTyping()).containsExactly("typing_start emp-1 ana conv-1", "typing_stop emp-1 ana conv-1");
        assertThat(fastLane).extracting(TestRecord::value).containsExactlyElementsOf(durableTyping());
        assertThat(fastLane).extracting(r -> r.value().type()).doesNotContain(EventType.PRESENCE_UPDATE);
        assertThat(fastLane.get(0).value().data().get("name").stringValue()).isEqualTo("Nome ana");
        // stamped with the signal's time, by which gateways tell a stale start
        assertThat(fastLane.get(0).timestamp()).isEqualTo(START.toEpochMilli());
    }

    @Test
    void shouldKeepEachEmpresasTypingInTheOrderOfItsSignals() {
        open(EMPRESA, "ana", "s1");
        open(OTHER_EMPRESA, "bia", "s2");
        for (int i = 0; i < 5; i++) {
            typing(Signal.TYPING_START, EMPRESA, "ana", "conv-" + i);
            typing(Signal.TYPING_START, OTHER_EMPRESA, "bia", "conv-" + i);
            typing(Signal.TYPING_STOP, EMPRESA, "ana", "conv-" + i);
        }

        assertThat(fastLaneTyping().stream().filter(t -> t.contains(" emp-1 ")).toList()).containsExactly(
                "typing_start emp-1 ana conv-0", "typing_stop emp-1 ana conv-0",
                "typing_start emp-1 ana conv-1", "typing_stop emp-1 ana conv-1",
                "typing_start emp-1 ana conv-2", "typing_stop emp-1 ana conv-2",
                "typing_start emp-1 ana conv-3", "typing_stop emp-1 ana conv-3",
                "typing_start emp-1 ana conv-4", "typing_stop emp-1 ana conv-4");
        assertThat(fastLaneTyping().stream().filter(t -> t.contains(" emp-2 ")).toList()).containsExactly(
                "typing_start emp-2 bia conv-0", "typing_start emp-2 bia conv-1", "typing_start emp-2 bia conv-2",
                "typing_start emp-2 bia conv-3", "typing_start emp-2 bia conv-4");
        assertThat(fastLane).allMatch(r -> r.key().equals(r.value().empresaId()));
    }

    @Test
    void shouldHandTheStopOfTypingNobodyRefreshedToTheFastLane() {
        heartbeat();
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        for (int s = 0; s < 5; s++) {
            heartbeat();
            advance(2);
        }
        heartbeat();
        advance(1);

        assertThat(fastLaneTyping()).containsExactly("typing_start emp-1 ana conv-1", "typing_stop emp-1 ana conv-1");
    }

    @Test
    void shouldHandTheStopsToTheFastLaneWhenTheLastSessionCloses() {
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-2");

        close(EMPRESA, "ana", "s1");

        assertThat(fastLaneTyping()).containsExactlyInAnyOrder("typing_start emp-1 ana conv-1",
                "typing_start emp-1 ana conv-2", "typing_stop emp-1 ana conv-1", "typing_stop emp-1 ana conv-2");
    }

    @Test
    void shouldHandTheStopToTheFastLaneWhenTheTypistsNodeDiesMidTyping() {
        heartbeat();
        open(EMPRESA, "ana", "s1");
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        // the node beats no more; the atendente keeps "typing" as far as the last signal said
        advance(7);
        typing(Signal.TYPING_START, EMPRESA, "ana", "conv-1");
        // more than half the timeout on, the refresh is announced again
        assertThat(fastLaneTyping()).containsExactly("typing_start emp-1 ana conv-1", "typing_start emp-1 ana conv-1");

        advance(3);

        assertThat(fastLaneTyping()).containsExactly("typing_start emp-1 ana conv-1", "typing_start emp-1 ana conv-1",
                "typing_stop emp-1 ana conv-1");
    }

    @Test
    void shouldAnnounceTypingAgainWhileItGoesOnPastHalfTheTimeout() {
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

        // at 0 s, then at 6 s and 12 s: once more than half the timeout (10 s) passed, so no client's own expiry
        // drops a typist who is still typing
        assertThat(fastLaneTyping()).containsExactly("typing_start emp-1 ana conv-1", "typing_start emp-1 ana conv-1",
                "typing_start emp-1 ana conv-1", "typing_stop emp-1 ana conv-1");
        List<RealtimeEvent> durable = durableTyping();
        assertThat(fastLane).extracting(TestRecord::value).containsExactlyElementsOf(durable);
        assertThat(durable).extracting(RealtimeEvent::id).doesNotHaveDuplicates();
        assertThat(durable).extracting(RealtimeEvent::ts).isSorted();
    }

    @Test
    void shouldHandNothingToTheFastLaneForHostileSignalsWhileAnotherEmpresasTypingGoesThrough() {
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
        assertThat(fastLane).isEmpty();

        open(OTHER_EMPRESA, "bia", "s2");
        typing(Signal.TYPING_START, OTHER_EMPRESA, "bia", "conv-9");

        assertThat(fastLaneTyping()).containsExactly("typing_start emp-2 bia conv-9");
    }
}
