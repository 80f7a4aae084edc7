package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * The typing fast lane end to end (issue 21), the whole stack with two gateway nodes, its presence topology
 * committing only every 5 s: typing typed on one node shows on the other within a second, without waiting for a
 * commit; and the typing of a gateway node that dies mid-word (no close, no tombstone: it just stops beating) stops
 * once its sessions expire, with a typing timeout long enough that nothing else could have stopped it.
 */
@ExtendWith(TestInfrastructure.Available.class)
class TypingFastLaneTest {

    private static final String EMPRESA = "emp-fast-lane";
    private static final String INSTANCE = "loja-fast-01";
    private static final String SECRET = "segredo-fast-lane";
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private static ChatCentralStack stack;
    private static ConfigurableApplicationContext secondNode;
    private static String conversaId;

    @BeforeAll
    static void startStack() throws Exception {
        stack = ChatCentralStack.withProcessorSettings(
                "--chatcentral.processor.presence.commit-interval=" + COMMIT_INTERVAL.toMillis() + "ms",
                "--chatcentral.processor.presence.typing-timeout=60s");
        stack.database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
        secondNode = stack.startGateway();
        HttpResponse<String> posted = stack.postWebhook(EMPRESA, SECRET, EvolutionPayloads.customerText(INSTANCE,
                "5511944443333", "Tito", "Olá", EvolutionPayloads.newKeyId(), 1761058000L).toString());
        assertThat(posted.statusCode()).isEqualTo(200);
        conversaId = awaitConversaRow("5511944443333@s.whatsapp.net");
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void shouldShowTypingOnAnotherNodeWithinASecondWhileThePresenceTopologyCommitsEveryFiveSeconds() {
        try (WebSocketTestClient typist = WebSocketTestClient.connect(stack.gatewayWsUrl(),
                AgentTokens.atendente("bia", EMPRESA));
             WebSocketTestClient watcher = WebSocketTestClient.connect(ChatCentralStack.wsUrl(secondNode),
                     AgentTokens.atendente("caio", EMPRESA))) {
            watcher.subscribe("conversa:" + conversaId);
            // the presence tasks may still be being assigned: type until the first start shows
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (typingFrames(watcher, EventType.TYPING_START, "bia").isEmpty()) {
                assertThat(System.nanoTime()).as("no typing shown within " + WITHIN).isLessThan(deadline);
                typist.send(frame("typing_start"));
                sleep(Duration.ofMillis(500));
            }
            typist.send(frame("typing_stop"));
            awaitCount(watcher, EventType.TYPING_STOP, 1);

            List<Duration> shownAfter = new ArrayList<>();
            for (int round = 2; round <= 6; round++) {
                long typed = System.nanoTime();
                typist.send(frame("typing_start"));
                awaitCount(watcher, EventType.TYPING_START, round);
                shownAfter.add(Duration.ofNanos(System.nanoTime() - typed));
                typed = System.nanoTime();
                typist.send(frame("typing_stop"));
                awaitCount(watcher, EventType.TYPING_STOP, round);
                shownAfter.add(Duration.ofNanos(System.nanoTime() - typed));
            }

            // through chat.events each would wait for a commit: up to 5 s, 2.5 s on average
            assertThat(shownAfter).allMatch(d -> d.compareTo(Duration.ofSeconds(1)) < 0, "each under a second");
            for (JsonNode typing : typingFrames(watcher, EventType.TYPING_START, "bia")) {
                assertThat(typing.path("ephemeral").asBoolean()).isTrue();
                assertThat(typing.has("position")).isFalse();
                assertThat(typing.path("data").path("name").asString()).isNotBlank();
            }
        }
    }

    @Test
    void shouldStopTheTypingOfAGatewayNodeThatDiesMidWord() {
        String doomed = "gateway-doomed";
        long bootEpoch = System.currentTimeMillis();
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, byte[]> node = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                "all"), Serdes.String().serializer(), Serdes.ByteArray().serializer());
             WebSocketTestClient watcher = WebSocketTestClient.connect(ChatCentralStack.wsUrl(secondNode),
                     AgentTokens.atendente("dani", EMPRESA))) {
            watcher.subscribe("conversa:" + conversaId);
            // the test plays a gateway node: it beats, its client connects and types
            beats.scheduleAtFixedRate(() -> node.send(record(Topics.NODE_HEARTBEATS, doomed,
                    new NodeHeartbeat(doomed, bootEpoch, Instant.now()))), 0, 1, TimeUnit.SECONDS);
            signal(node, new Signal(Signal.SESSION_OPENED, doomed, bootEpoch, "zeca-1", EMPRESA, "zeca", "Zeca", null,
                    null, Instant.now()));
            signal(node, new Signal(Signal.TYPING_START, doomed, null, "zeca-1", EMPRESA, "zeca", "Zeca", conversaId,
                    null, Instant.now()));
            // (a real node would also have put the start on the fast lane; the stop is the processor's alone)
            sleep(Duration.ofSeconds(1));

            // the node dies: no session_closed, no tombstone, no more heartbeats
            beats.shutdownNow();
            long died = System.nanoTime();
            watcher.awaitFrame(f -> isTyping(f, EventType.TYPING_STOP, "zeca"), Duration.ofSeconds(30));
            Duration stoppedAfter = Duration.ofNanos(System.nanoTime() - died);

            // NODE_TIMEOUT 8 s and a cleanup pass; the typing timeout (60 s here) could not have done it
            assertThat(stoppedAfter).isLessThan(Duration.ofSeconds(15)).isGreaterThan(Duration.ofSeconds(5));
        } finally {
            beats.shutdownNow();
        }
    }

    /** A record as a gateway node writes it: by the topic's serde, with the headers it marks (schema-version). */
    private static <V> ProducerRecord<String, byte[]> record(TopicSpec<String, V> topic, String key, V value) {
        Headers headers = new RecordHeaders();
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), headers, value);
        return new ProducerRecord<>(topic.name(), null, key, bytes, headers);
    }

    private static void signal(KafkaProducer<String, byte[]> node, Signal signal) {
        try {
            node.send(record(Topics.SIGNALS, signal.empresaId(), signal)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String frame(String type) {
        return "{\"type\":\"" + type + "\",\"conversaId\":\"" + conversaId + "\"}";
    }

    private static boolean isTyping(JsonNode frame, String type, String userId) {
        return type.equals(frame.path("type").asString()) && userId.equals(frame.path("data").path("userId").asString());
    }

    private static List<JsonNode> typingFrames(WebSocketTestClient client, String type, String userId) {
        return client.frames().stream().filter(f -> isTyping(f, type, userId)).toList();
    }

    private static void awaitCount(WebSocketTestClient client, String type, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (typingFrames(client, type, "bia").size() < count) {
            assertThat(System.nanoTime()).as("the " + count + "th " + type).isLessThan(deadline);
            sleep(Duration.ofMillis(5));
        }
    }

    private static String awaitConversaRow(String remoteJid) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (stack.database.queryForLong("SELECT count(*) FROM conversa WHERE remote_jid = ?", remoteJid) == 1) {
                return stack.database.queryForString("SELECT id::text FROM conversa WHERE remote_jid = ?", remoteJid);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("no conversa row for " + remoteJid);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
