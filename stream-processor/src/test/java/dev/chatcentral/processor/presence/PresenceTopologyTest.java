package dev.chatcentral.processor.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TopicContracts;

class PresenceTopologyTest {

    private static final String EMPRESA = "emp-1";
    private static final String NODE_A = "gateway-a";
    private static final String NODE_B = "gateway-b";
    private static final long EPOCH = 1_000L;
    private static final Instant START = Instant.parse("2025-10-21T14:40:40Z");
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration TYPING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(8);

    @TempDir
    Path stateDir;

    private final List<String> rejections = new ArrayList<>();
    private final List<String> deadLettered = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> signals;
    private TestInputTopic<String, byte[]> heartbeats;
    private TestOutputTopic<String, RealtimeEvent> events;
    private TestOutputTopic<String, PresenceSnapshot> snapshots;
    private TestOutputTopic<String, byte[]> dlq;
    private Instant now = START;

    @BeforeEach
    void startDriver() {
        driver = newDriver(stateDir.resolve("first"));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private TopologyTestDriver newDriver(Path dir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "presence-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        PresenceSettings settings = new PresenceSettings(Duration.ofSeconds(1), GRACE, TYPING_TIMEOUT, NODE_TIMEOUT,
                (topic, reason) -> rejections.add(topic + ": " + reason), true,
                (stage, reason, empresaId) -> deadLettered.add(stage.code() + "/" + reason.code()),
                new PoisonRecords());
        now = START;
        TopologyTestDriver created = new TopologyTestDriver(PresenceTopology.build(settings), config, START);
        signals = created.createInputTopic(Topics.SIGNALS.name(), new StringSerializer(), new ByteArraySerializer());
        heartbeats = created.createInputTopic(Topics.NODE_HEARTBEATS.name(), new StringSerializer(),
                new ByteArraySerializer());
        // every record the tests read is checked against its topic's committed contract
        events = created.createOutputTopic(Topics.EVENTS.name(),
                TopicContracts.checkedKeys(Topics.EVENTS.name(), new StringDeserializer()),
                TopicContracts.checkedValues(Topics.EVENTS.name(), Topics.EVENTS.valueSerde().deserializer()));
        snapshots = created.createOutputTopic(Topics.PRESENCE.name(),
                TopicContracts.checkedKeys(Topics.PRESENCE.name(), new StringDeserializer()),
                TopicContracts.checkedValues(Topics.PRESENCE.name(), Topics.PRESENCE.valueSerde().deserializer()));
        dlq = created.createOutputTopic(Topics.DLQ.name(),
                TopicContracts.checkedKeys(Topics.DLQ.name(), new StringDeserializer()),
                TopicContracts.checkedForwardedValues(Topics.DLQ.name(), new ByteArrayDeserializer()));
        return created;
    }

    // --- inputs ---

    private void send(Signal signal) {
        signals.pipeInput(signal.empresaId(), Topics.SIGNALS.valueSerde().serializer().serialize("", signal), now);
    }

    private void open(String userId, String sessionId, String nodeId) {
        open(EMPRESA, userId, sessionId, nodeId, EPOCH);
    }

    private void open(String empresaId, String userId, String sessionId, String nodeId, long bootEpoch) {
        send(new Signal(Signal.SESSION_OPENED, nodeId, bootEpoch, sessionId, empresaId, userId, "Nome " + userId,
                null, null, now));
    }

    private void close(String userId, String sessionId, String nodeId) {
        send(new Signal(Signal.SESSION_CLOSED, nodeId, null, sessionId, EMPRESA, userId, null, null, null, now));
    }

    private void status(String userId, String status) {
        send(new Signal(Signal.STATUS_CHANGED, NODE_A, null, "s-any", EMPRESA, userId, null, null, status, now));
    }

    private void typing(String type, String userId, String conversaId) {
        send(new Signal(type, NODE_A, null, "s-any", EMPRESA, userId, null, conversaId, null, now));
    }

    private void heartbeat(String nodeId, long bootEpoch) {
        heartbeats.pipeInput(nodeId, Topics.NODE_HEARTBEATS.valueSerde().serializer()
                .serialize("", new NodeHeartbeat(nodeId, bootEpoch, now)), now);
    }

    /** Second by second: the driver punctuates once per advance, however far it goes. */
    private void advance(Duration duration) {
        for (long s = 0; s < duration.toSeconds(); s++) {
            now = now.plusSeconds(1);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    /** Advances one second at a time for {@code seconds} seconds, node B beating every 2 s as a live node does. */
    private void runWithNodeBAlive(int seconds) {
        for (int i = 0; i < seconds; i++) {
            if (i % 2 == 0) {
                heartbeat(NODE_B, EPOCH);
            }
            advance(Duration.ofSeconds(1));
        }
    }

    // --- outputs ---

    private List<RealtimeEvent> drainEvents() {
        return events.readValuesToList();
    }

    private PresenceSnapshot lastSnapshot() {
        List<PresenceSnapshot> all = snapshots.readValuesToList();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static List<String> onlineUsers(PresenceSnapshot snapshot) {
        return snapshot.online().stream().map(PresenceSnapshot.OnlineUser::userId).toList();
    }

    private static JsonNode data(RealtimeEvent event) {
        return event.data();
    }

    // --- sessions and grace ---

    @Test
    void shouldMarkEveryRecordWithItsContractVersionWhenAtendentesComeTypeAndGo() {
        heartbeat(NODE_A, EPOCH);
        open("ana", "s1", NODE_A);
        status("ana", "ocupado");
        typing(Signal.TYPING_START, "ana", "conv-1");
        advance(TYPING_TIMEOUT.plusSeconds(1));
        close("ana", "s1", NODE_A);
        advance(GRACE.plusSeconds(1));

        // each record is checked against its topic's JSON Schema as it is read (the topics' checked deserializers)
        List<TestRecord<String, RealtimeEvent>> written = events.readRecordsToList();
        assertThat(written).extracting(r -> r.value().type()).contains(EventType.PRESENCE_UPDATE,
                EventType.TYPING_START, EventType.TYPING_STOP);
        List<TestRecord<String, PresenceSnapshot>> published = snapshots.readRecordsToList();
        assertThat(published).isNotEmpty();
        for (TestRecord<String, RealtimeEvent> record : written) {
            assertThat(RecordHeaders.get(record.headers(), RecordHeaders.SCHEMA_VERSION)).isEqualTo("1");
        }
        for (TestRecord<String, PresenceSnapshot> record : published) {
            assertThat(RecordHeaders.get(record.headers(), RecordHeaders.SCHEMA_VERSION)).isEqualTo("1");
        }
    }

    @Test
    void shouldEmitOnlineOnceWhenSecondTabOpens() {
        open("ana", "s1", NODE_A);

        List<RealtimeEvent> first = drainEvents();
        assertThat(first).hasSize(1);
        RealtimeEvent online = first.get(0);
        assertThat(online.type()).isEqualTo(EventType.PRESENCE_UPDATE);
        assertThat(online.empresaId()).isEqualTo(EMPRESA);
        assertThat(online.channels()).containsExactly("presence:" + EMPRESA);
        assertThat(data(online).get("userId").stringValue()).isEqualTo("ana");
        assertThat(data(online).get("name").stringValue()).isEqualTo("Nome ana");
        assertThat(data(online).get("online").booleanValue()).isTrue();
        assertThat(data(online).get("status").stringValue()).isEqualTo("disponivel");
        assertThat(data(online).get("sessions").intValue()).isEqualTo(1);
        assertThat(data(online).get("version").longValue()).isEqualTo(1);
        assertThat(online.id()).isEqualTo(UUID.nameUUIDFromBytes(
                ("presence_update|" + EMPRESA + "|1").getBytes(StandardCharsets.UTF_8)).toString());
        PresenceSnapshot snapshot = lastSnapshot();
        assertThat(snapshot.empresaId()).isEqualTo(EMPRESA);
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.online()).containsExactly(
                new PresenceSnapshot.OnlineUser("ana", "Nome ana", "disponivel", START));

        open("ana", "s2", NODE_A);
        open("ana", "s2", NODE_A);

        assertThat(events.isEmpty()).isTrue();
        assertThat(snapshots.isEmpty()).isTrue();
    }

    @Test
    void shouldNotFlapWhenPageReloadReconnectsWithinGrace() {
        open("ana", "s1", NODE_A);
        drainEvents();
        snapshots.readValuesToList();

        close("ana", "s1", NODE_A);
        advance(Duration.ofSeconds(2));
        open("ana", "s2", NODE_B);
        heartbeat(NODE_B, EPOCH);
        advance(Duration.ofSeconds(5));

        assertThat(events.isEmpty()).isTrue();
        assertThat(snapshots.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepUserOnlineWhileAnotherTabStaysOpen() {
        open("ana", "s1", NODE_A);
        open("ana", "s2", NODE_A);
        drainEvents();
        heartbeat(NODE_A, EPOCH);

        close("ana", "s1", NODE_A);
        advance(Duration.ofSeconds(4));

        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void shouldGoOfflineOnlyWhenGraceEndsWithoutNewSession() {
        open("ana", "s1", NODE_A);
        open("bia", "s2", NODE_A);
        drainEvents();
        snapshots.readValuesToList();

        close("ana", "s1", NODE_A);
        close("ana", "s1", NODE_A);
        heartbeat(NODE_A, EPOCH);
        advance(Duration.ofSeconds(2));
        assertThat(events.isEmpty()).isTrue();

        advance(Duration.ofSeconds(1));
        List<RealtimeEvent> offline = drainEvents();
        assertThat(offline).hasSize(1);
        assertThat(data(offline.get(0)).get("userId").stringValue()).isEqualTo("ana");
        assertThat(data(offline.get(0)).get("online").booleanValue()).isFalse();
        assertThat(data(offline.get(0)).get("sessions").intValue()).isZero();
        assertThat(data(offline.get(0)).get("version").longValue()).isEqualTo(3);
        PresenceSnapshot snapshot = lastSnapshot();
        assertThat(onlineUsers(snapshot)).containsExactly("bia");
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.version()).isEqualTo(3);
    }

    @Test
    void shouldEmitStatusChangeOnceAndKeepItInSnapshot() {
        open("ana", "s1", NODE_A);
        drainEvents();

        status("ana", "ocupado");
        status("ana", "ocupado");

        List<RealtimeEvent> changes = drainEvents();
        assertThat(changes).hasSize(1);
        assertThat(data(changes.get(0)).get("status").stringValue()).isEqualTo("ocupado");
        assertThat(data(changes.get(0)).get("online").booleanValue()).isTrue();
        assertThat(lastSnapshot().online()).extracting(PresenceSnapshot.OnlineUser::status)
                .containsExactly("ocupado");

        // a reload keeps the chosen status
        close("ana", "s1", NODE_A);
        open("ana", "s2", NODE_A);
        status("ana", "ocupado");
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void shouldIgnoreStatusOfUserWithoutSession() {
        status("ana", "ausente");

        assertThat(events.isEmpty()).isTrue();
        assertThat(snapshots.isEmpty()).isTrue();
        assertThat(rejections).isEmpty();
    }

    @Test
    void shouldListOnlyOwnEmpresaInSnapshot() {
        open(EMPRESA, "ana", "s1", NODE_A, EPOCH);
        open("emp-2", "bia", "s2", NODE_A, EPOCH);

        List<PresenceSnapshot> written = snapshots.readValuesToList();
        assertThat(written).extracting(PresenceSnapshot::empresaId).containsExactly(EMPRESA, "emp-2");
        assertThat(onlineUsers(written.get(0))).containsExactly("ana");
        assertThat(onlineUsers(written.get(1))).containsExactly("bia");
        assertThat(written.get(1).version()).isEqualTo(1);
    }

    @Test
    void shouldNotMixUpUsersWhoseIdsContainTheKeySeparator() {
        open("auth0", "s1", NODE_A);
        open("auth0|1", "s2", NODE_A);
        drainEvents();

        close("auth0", "s1", NODE_A);
        heartbeat(NODE_A, EPOCH);
        advance(Duration.ofSeconds(3));

        List<RealtimeEvent> offline = drainEvents();
        assertThat(offline).hasSize(1);
        assertThat(data(offline.get(0)).get("userId").stringValue()).isEqualTo("auth0");
        assertThat(onlineUsers(lastSnapshot())).containsExactly("auth0|1");
    }

    // --- dead nodes ---

    @Test
    void shouldTakeUsersOfSilentNodeOfflineWithin15SecondsUnlessAnotherNodeHoldsThem() {
        heartbeat(NODE_A, EPOCH);
        heartbeat(NODE_B, EPOCH);
        open("ana", "s1", NODE_A);
        open("bia", "s2", NODE_A);
        open("bia", "s3", NODE_B);
        open("caio", "s4", NODE_B);
        drainEvents();
        snapshots.readValuesToList();

        // node A's last heartbeat was at START; it never beats again
        int offlineAfter = -1;
        for (int second = 1; second <= 15 && offlineAfter < 0; second++) {
            runWithNodeBAlive(1);
            List<RealtimeEvent> emitted = drainEvents();
            if (!emitted.isEmpty()) {
                assertThat(emitted).hasSize(1);
                assertThat(data(emitted.get(0)).get("userId").stringValue()).isEqualTo("ana");
                assertThat(data(emitted.get(0)).get("online").booleanValue()).isFalse();
                offlineAfter = second;
            }
        }
        assertThat(offlineAfter).isBetween(9, 14);
        assertThat(onlineUsers(lastSnapshot())).containsExactly("bia", "caio");

        runWithNodeBAlive(20);
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void shouldExpireSessionsOfRestartedNodeAndKeepThoseOfItsNewRun() {
        heartbeat(NODE_A, EPOCH);
        open("ana", "s1", NODE_A);
        // bia's session belongs to the node's next run, whose first heartbeat is not in yet
        open(EMPRESA, "bia", "s2", NODE_A, EPOCH + 1);
        drainEvents();

        advance(Duration.ofSeconds(1));
        heartbeat(NODE_A, EPOCH + 1);
        advance(Duration.ofSeconds(1));
        assertThat(events.isEmpty()).isTrue();

        advance(Duration.ofSeconds(3));
        List<RealtimeEvent> offline = drainEvents();
        assertThat(offline).extracting(e -> data(e).get("userId").stringValue()).containsExactly("ana");
        assertThat(onlineUsers(lastSnapshot())).containsExactly("bia");
    }

    @Test
    void shouldIgnoreDelayedHeartbeatOfEarlierRun() {
        heartbeat(NODE_A, EPOCH + 1);
        open(EMPRESA, "ana", "s1", NODE_A, EPOCH + 1);
        drainEvents();

        advance(Duration.ofSeconds(6));
        heartbeat(NODE_A, EPOCH + 1);
        // the earlier run, not quite dead yet: taken for the node's state, it would expire "ana" at 9 s
        heartbeat(NODE_A, EPOCH);
        advance(Duration.ofSeconds(7));

        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void shouldExpireSessionsOfNodeThatStoppedCleanly() {
        heartbeat(NODE_A, EPOCH);
        open("ana", "s1", NODE_A);
        drainEvents();

        heartbeats.pipeInput(NODE_A, null, now);
        advance(Duration.ofSeconds(9));
        advance(Duration.ofSeconds(3));

        assertThat(drainEvents()).extracting(e -> data(e).get("online").booleanValue()).containsExactly(false);
    }

    // --- typing ---

    @Test
    void shouldEmitTypingStartOnEdgeAndStopOnStop() {
        open("ana", "s1", NODE_A);
        drainEvents();

        typing(Signal.TYPING_START, "ana", "conv-1");
        typing(Signal.TYPING_START, "ana", "conv-1");
        List<RealtimeEvent> started = drainEvents();
        assertThat(started).hasSize(1);
        RealtimeEvent start = started.get(0);
        assertThat(start.type()).isEqualTo(EventType.TYPING_START);
        assertThat(start.empresaId()).isEqualTo(EMPRESA);
        assertThat(start.channels()).containsExactly("conversa:conv-1");
        assertThat(data(start).get("conversaId").stringValue()).isEqualTo("conv-1");
        assertThat(data(start).get("userId").stringValue()).isEqualTo("ana");
        assertThat(data(start).get("name").stringValue()).isEqualTo("Nome ana");
        assertThat(data(start).get("who").stringValue()).isEqualTo("atendente");

        typing(Signal.TYPING_STOP, "ana", "conv-1");
        typing(Signal.TYPING_STOP, "ana", "conv-1");
        List<RealtimeEvent> stopped = drainEvents();
        assertThat(stopped).extracting(RealtimeEvent::type).containsExactly(EventType.TYPING_STOP);
        assertThat(stopped.get(0).id()).isNotEqualTo(start.id());
        assertThat(snapshots.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldStopTypingTenSecondsAfterLastStart() {
        heartbeat(NODE_A, EPOCH);
        open("ana", "s1", NODE_A);
        typing(Signal.TYPING_START, "ana", "conv-1");
        drainEvents();

        advance(Duration.ofSeconds(5));
        typing(Signal.TYPING_START, "ana", "conv-1");
        heartbeat(NODE_A, EPOCH);
        advance(Duration.ofSeconds(5));
        heartbeat(NODE_A, EPOCH);
        advance(Duration.ofSeconds(4));
        assertThat(events.isEmpty()).isTrue();

        advance(Duration.ofSeconds(1));
        heartbeat(NODE_A, EPOCH);
        List<RealtimeEvent> stopped = drainEvents();
        assertThat(stopped).extracting(RealtimeEvent::type).containsExactly(EventType.TYPING_STOP);
        assertThat(data(stopped.get(0)).get("conversaId").stringValue()).isEqualTo("conv-1");
    }

    @Test
    void shouldStopTypingWhenLastSessionCloses() {
        open("ana", "s1", NODE_A);
        open("ana", "s2", NODE_A);
        typing(Signal.TYPING_START, "ana", "conv-1");
        typing(Signal.TYPING_START, "ana", "conv-2");
        drainEvents();

        close("ana", "s1", NODE_A);
        assertThat(events.isEmpty()).isTrue();

        close("ana", "s2", NODE_A);
        List<RealtimeEvent> stopped = drainEvents();
        assertThat(stopped).extracting(RealtimeEvent::type)
                .containsExactly(EventType.TYPING_STOP, EventType.TYPING_STOP);
        assertThat(stopped).extracting(e -> data(e).get("conversaId").stringValue())
                .containsExactlyInAnyOrder("conv-1", "conv-2");
    }

    // --- ids and bad input ---

    @Test
    void shouldGiveSameEventIdsWhenSameSignalsAreProcessedAgain() {
        open("ana", "s1", NODE_A);
        typing(Signal.TYPING_START, "ana", "conv-1");
        typing(Signal.TYPING_STOP, "ana", "conv-1");
        List<String> firstIds = drainEvents().stream().map(RealtimeEvent::id).toList();
        driver.close();

        driver = newDriver(stateDir.resolve("second"));
        open("ana", "s1", NODE_A);
        typing(Signal.TYPING_START, "ana", "conv-1");
        typing(Signal.TYPING_STOP, "ana", "conv-1");

        assertThat(drainEvents()).extracting(RealtimeEvent::id).containsExactlyElementsOf(firstIds).hasSize(3)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldKeepTheRolesOfTheLatestOpeningInTheSnapshotSoAssignmentKnowsWhoTakesConversas() {
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "sup", "Sup", null, null, now,
                List.of("supervisor")));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s2", EMPRESA, "ana", "Ana", null, null, now));
        PresenceSnapshot both = snapshots.readValuesToList().get(1);
        assertThat(both.online()).extracting(PresenceSnapshot.OnlineUser::userId,
                PresenceSnapshot.OnlineUser::takesConversas).containsExactly(tuple("ana", true), tuple("sup", false));

        // a new token with the atendente role, in another tab: the snapshot says so, with no presence change
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s3", EMPRESA, "sup", "Sup", null, null, now,
                List.of("atendente", "supervisor")));
        assertThat(snapshots.readValuesToList()).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.version()).isEqualTo(both.version());
            assertThat(snapshot.online()).allMatch(PresenceSnapshot.OnlineUser::takesConversas);
        });
    }

    @Test
    void shouldSendMalformedSignalsToDlqWithReasonAndDropMalformedHeartbeats() {
        signals.pipeInput(EMPRESA, "not json".getBytes(StandardCharsets.UTF_8), now);
        signals.pipeInput(EMPRESA, null, now);
        send(new Signal("session_teleported", NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, now));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, null, "s1", EMPRESA, "ana", null, null, null, now));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, null, EMPRESA, "ana", null, null, null, now));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, " ", null, null, null, now));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, null));
        signals.pipeInput("emp-other", Topics.SIGNALS.valueSerde().serializer().serialize("",
                new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, now)), now);
        send(new Signal(Signal.STATUS_CHANGED, NODE_A, null, "s1", EMPRESA, "ana", null, null, "disponível", now));
        send(new Signal(Signal.TYPING_START, NODE_A, null, "s1", EMPRESA, "ana", null, "conv:1", null, now));
        send(new Signal(Signal.TYPING_START, NODE_A, null, "s1", "emp:1", "ana", null, "conv-1", null, now));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, now,
                Collections.nCopies(Signal.MAX_ROLES + 1, "atendente")));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, now,
                List.of("x".repeat(Signal.MAX_ROLE_LENGTH + 1))));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, now,
                List.of("atendente\u0000")));
        send(new Signal(Signal.SESSION_OPENED, NODE_A, EPOCH, "s1", EMPRESA, "ana", null, null, null, now,
                List.of(" ")));
        signals.pipeInput(EMPRESA, ("{\"type\":\"session_opened\",\"nodeId\":\"" + NODE_A + "\",\"bootEpoch\":1,"
                + "\"sessionId\":\"s1\",\"empresaId\":\"" + EMPRESA + "\",\"userId\":\"ana\",\"ts\":\"" + now
                + "\",\"roles\":{\"admin\":1}}").getBytes(StandardCharsets.UTF_8), now);
        heartbeats.pipeInput(NODE_A, "{\"nodeId\":".getBytes(StandardCharsets.UTF_8), now);
        heartbeats.pipeInput(NODE_A, Topics.NODE_HEARTBEATS.valueSerde().serializer()
                .serialize("", new NodeHeartbeat(NODE_B, EPOCH, now)), now);

        assertThat(events.isEmpty()).isTrue();
        assertThat(snapshots.isEmpty()).isTrue();
        List<String> reasons = dlq.readRecordsToList().stream()
                .map(r -> RecordHeaders.get(r.headers(), RecordHeaders.ERROR_MESSAGE)).toList();
        assertThat(reasons).containsExactly(
                "not a signal JSON: Unrecognized token 'not': was expecting (JSON String, Number, "
                        + "Array, Object or token 'null', 'true' or 'false')",
                "empty signal",
                "unknown signal type session_teleported, expected one of "
                        + reasons.get(2).substring(reasons.get(2).indexOf('[')),
                "session_opened without the node's \"bootEpoch\"",
                "missing \"sessionId\"",
                "missing \"userId\"",
                "signal without \"ts\"",
                "record key emp-other differs from empresaId emp-1",
                "status disponível is not one of " + reasons.get(8).substring(reasons.get(8).indexOf('[')),
                "\"conversaId\" must not contain ':'",
                "\"empresaId\" must not contain ':'",
                "more than 8 \"roles\"",
                "a role is longer than 32 characters or holds control characters",
                "a role is longer than 32 characters or holds control characters",
                "missing \"roles[]\"",
                reasons.get(15));
        assertThat(reasons.get(15)).startsWith("not a signal JSON: ");
        assertThat(deadLettered).hasSize(16).containsOnly("presence/invalid");
        assertThat(rejections).hasSize(2);
        assertThat(rejections.get(0)).startsWith("chat.gateway.heartbeats: not a heartbeat JSON: ");
        assertThat(rejections.get(1)).isEqualTo("chat.gateway.heartbeats: record key gateway-a differs from nodeId gateway-b");

        open("ana", "s1", NODE_A);
        assertThat(drainEvents()).extracting(RealtimeEvent::type).containsExactly(EventType.PRESENCE_UPDATE);
    }
}
