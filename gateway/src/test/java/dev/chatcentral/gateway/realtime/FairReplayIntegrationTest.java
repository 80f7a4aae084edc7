package dev.chatcentral.gateway.realtime;

import static dev.chatcentral.gateway.testing.TestGateway.event;
import static dev.chatcentral.gateway.testing.TestGateway.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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

import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.testing.RawWebSocket;
import dev.chatcentral.gateway.testing.TestGateway;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * Resumes share a node's replay threads fairly: a client that stops reading gives its thread up, one session holds
 * at most one place in the replay queue, and one empresa's queue is bounded.
 */
class FairReplayIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    /** Events of this size make a backlog that no socket buffer absorbs. */
    private static final int PADDING = 16 * 1024;
    private static final int BACKLOG = 300;
    /** Channels a supervisor may follow without any conversa in PostgreSQL. */
    private static final List<String> FOLLOWED = List.of(Channel.atendente("u-1"), Channel.atendente("u-2"),
            Channel.atendente("u-3"), Channel.atendente("u-4"));

    private static TestKafka kafka;
    private static TestDatabase database;
    /** Default replay settings. */
    private static ConfigurableApplicationContext fair;
    /** One replay thread, at most two sessions of an empresa waiting for it. */
    private static ConfigurableApplicationContext narrow;
    private static KafkaProducer<String, RealtimeEvent> producer;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        fair = startNode("node-fair");
        narrow = startNode("node-narrow", "--chatcentral.gateway.delivery.replay-concurrency=1",
                "--chatcentral.gateway.delivery.replay-queue-per-empresa=2");
        producer = TestGateway.eventsProducer(kafka);
    }

    private static ConfigurableApplicationContext startNode(String id, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--chatcentral.gateway.node.id=" + id,
                // a small queue fills at once; a long send limit leaves the stalled replay as the only way out
                "--chatcentral.gateway.session.send-queue-limit=64KB",
                "--chatcentral.gateway.session.send-time-limit=20s"));
        args.addAll(List.of(settings));
        return TestGateway.start(kafka, database, args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        producer.close();
        fair.close();
        narrow.close();
        database.close();
        kafka.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        await().atMost(WITHIN).until(() -> fair.getBean(Sessions.class).size() == 0
                && narrow.getBean(Sessions.class).size() == 0);
    }

    @Test
    void shouldNotLetClientsThatStopReadingDelayAnotherClientsResume() throws Exception {
        String empresa = "emp-stalled";
        Counter tooSlow = fair.getBean(MeterRegistry.class).counter(RealtimeMetrics.ERRORS, "code", "slow_consumer");
        double closedBefore = tooSlow.count();
        long before = backlog(empresa);
        List<RawWebSocket> stalled = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stalled.add(resumeWithoutReading(fair, "reader-" + i, empresa, Channel.empresa(empresa), before));
        }
        String own = Channel.atendente("user-ok");
        long since = publish(empresa, event(empresa, own));
        List<String> missed = publishEvents(empresa, own, 3);
        WebSocketTestClient client = ws(fair, AgentTokens.atendente("user-ok", empresa));
        long started = System.nanoTime();

        client.send(subscribe(own, since));

        client.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.framesOfType("subscribed").get(0).path("recovered").asBoolean()).isTrue();
        assertThat(eventIds(client, own)).containsExactlyElementsOf(missed);
        // each was told it is too slow, to reconnect and resume, when its turn came
        await().atMost(WITHIN).until(() -> tooSlow.count() - closedBefore >= stalled.size());
        for (RawWebSocket socket : stalled) {
            assertThat(socket.readUntilClose()).isEqualTo(4500);
        }
    }

    @Test
    void shouldQueueResumesOfOneSessionAsOneAndRefuseBeyondTheEmpresasQueue() throws Exception {
        String empresa = "emp-queued";
        long before = backlog(empresa);
        long since = publish(empresa, event(empresa, Channel.presence(empresa)));
        List<List<String>> missed = new ArrayList<>();
        for (String channel : FOLLOWED) {
            missed.add(publishEvents(empresa, channel, 2));
        }
        long elsewhereSince = publish("emp-elsewhere", event("emp-elsewhere", Channel.presence("emp-elsewhere")));
        List<String> missedElsewhere = publishEvents("emp-elsewhere", Channel.empresa("emp-elsewhere"), 2);
        WebSocketTestClient supervisor = supervisor(empresa);
        WebSocketTestClient second = ws(narrow, AgentTokens.atendente("user-2", empresa));
        WebSocketTestClient third = ws(narrow, AgentTokens.atendente("user-3", empresa));
        WebSocketTestClient elsewhere = ws(narrow, AgentTokens.atendente("user-1", "emp-elsewhere"));
        // holds the node's one replay thread until it is found not reading
        resumeWithoutReading(narrow, "holder", empresa, Channel.empresa(empresa), before);
        Thread.sleep(300);

        // four resumes of one session wait together, taking one of the empresa's two places in the queue
        FOLLOWED.forEach(channel -> supervisor.send(subscribe(channel, since)));
        second.send(subscribe(Channel.atendente("user-2"), since));
        processed(supervisor);
        processed(second);
        third.send(subscribe(Channel.atendente("user-3"), since));
        elsewhere.send(subscribe(Channel.empresa("emp-elsewhere"), elsewhereSince));

        JsonNode error = third.awaitFrame(f -> "error".equals(f.path("type").asString()), WITHIN);
        assertThat(error.path("code").asString()).isEqualTo("unavailable");
        assertThat(error.path("channel").asString()).isEqualTo(Channel.atendente("user-3"));
        assertThat(error.path("message").asString()).contains("2");
        await().atMost(WITHIN).until(() -> supervisor.framesOfType("subscribed").size() == FOLLOWED.size());
        assertThat(supervisor.framesOfType("subscribed")).allMatch(f -> f.path("recovered").asBoolean());
        for (int i = 0; i < FOLLOWED.size(); i++) {
            assertThat(eventIds(supervisor, FOLLOWED.get(i))).containsExactlyElementsOf(missed.get(i));
        }
        assertThat(supervisor.framesOfType("error")).isEmpty();
        second.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        elsewhere.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
        assertThat(eventIds(elsewhere, Channel.empresa("emp-elsewhere"))).containsExactlyElementsOf(missedElsewhere);
        assertThat(third.framesOfType("subscribed")).isEmpty();
        // refused changes nothing: subscribing again once the queue drained succeeds
        third.send(subscribe(Channel.atendente("user-3"), since));
        third.awaitFrame(f -> "subscribed".equals(f.path("type").asString()), WITHIN);
    }

    @Test
    void shouldBoundTheLiveEventsHeldBackForAllOfASessionsWaitingResumesTogether() throws Exception {
        String empresa = "emp-held";
        long before = backlog(empresa);
        long since = publish(empresa, event(empresa, Channel.presence(empresa)));
        WebSocketTestClient supervisor = supervisor(empresa);
        resumeWithoutReading(narrow, "holder", empresa, Channel.empresa(empresa), before);
        // its resume takes the node's one replay thread first, and holds it until found not reading
        Thread.sleep(300);
        FOLLOWED.forEach(channel -> supervisor.send(subscribe(channel, since)));
        processed(supervisor);

        // 24 KiB per channel, under the 64 KiB limit each, over it together
        for (String channel : FOLLOWED) {
            for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), empresa, padded(empresa, channel, 12 * 1024)));
            }
        }
        producer.flush();

        assertThat(supervisor.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(4500);
        assertThat(supervisor.framesOfType("subscribed")).isEmpty();
    }

    /** Writes a backlog too large for any buffer on the empresa's channel; the position right before it. */
    private static long backlog(String empresa) throws Exception {
        long before = publish(empresa, event(empresa, Channel.presence(empresa)));
        for (int i = 0; i < BACKLOG; i++) {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), empresa,
                    padded(empresa, Channel.empresa(empresa), PADDING)));
        }
        producer.flush();
        return before;
    }

    private static RealtimeEvent padded(String empresa, String channel, int chars) {
        return new RealtimeEvent(UUID.randomUUID().toString(), empresa, EventType.CONVERSATION_UPDATED,
                List.of(channel), Json.MAPPER.createObjectNode().put("padding", "x".repeat(chars)), Instant.now());
    }

    private WebSocketTestClient supervisor(String empresa) {
        return ws(narrow, AgentTokens.mint(AgentTokens.DEV_SECRET, "chefe", empresa, List.of("supervisor"),
                Instant.now().plusSeconds(600)));
    }

    /** A client that asks for the backlog, then reads nothing more. */
    private RawWebSocket resumeWithoutReading(ConfigurableApplicationContext node, String userId, String empresa,
                                              String channel, long since) throws Exception {
        RawWebSocket socket = RawWebSocket.connect(port(node), AgentTokens.atendente(userId, empresa), 4096);
        clients.add(socket);
        String type;
        do {
            type = Json.MAPPER.readTree(socket.read().text()).path("type").asString();
        } while (!"connected".equals(type));
        socket.sendText(subscribe(channel, since));
        return socket;
    }

    private WebSocketTestClient ws(ConfigurableApplicationContext node, String token) {
        WebSocketTestClient client = WebSocketTestClient.connect("ws://127.0.0.1:" + port(node) + "/ws", token);
        clients.add(client);
        client.awaitFrame(f -> "connected".equals(f.path("type").asString()), WITHIN);
        return client;
    }

    /** Returns once the node has handled every frame the client sent so far: it answers them in order. */
    private static void processed(WebSocketTestClient client) {
        int pongs = client.framesOfType("pong").size();
        client.send("{\"type\":\"ping\"}");
        await().atMost(WITHIN).until(() -> client.framesOfType("pong").size() > pongs);
    }

    private static String subscribe(String channel, long since) {
        return "{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":" + since + "}";
    }

    private static List<String> eventIds(WebSocketTestClient client, String channel) {
        return client.frames().stream().filter(f -> f.has("id") && channel.equals(f.path("channel").asString()))
                .map(f -> f.path("id").asString()).toList();
    }

    private static List<String> publishEvents(String empresa, String channel, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RealtimeEvent event = event(empresa, channel);
            publish(empresa, event);
            ids.add(event.id());
        }
        return ids;
    }

    private static long publish(String key, RealtimeEvent event) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, event)).get(10, TimeUnit.SECONDS)
                .offset();
    }
}
