package dev.chatcentral.processor.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.chatcentral.processor.ProcessorTestStack;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The fast lane inside the running service, on a real broker (issue 21): with the presence topology committing only
 * every 10 s, the typing stops it decides (a last session closing, the typing timeout) are readable on
 * {@code chat.ephemeral} (read_committed, as gateways read it) within moments, seconds before their copies in
 * {@code chat.events} commit; in the empresa's order, on its partition. (The starts and stops of typing frames are
 * the gateway's to put there: gateway's {@code FastLaneIntegrationTest}.)
 */
class FastLaneIntegrationTest {

    private static final String EMPRESA = "emp-fast-lane";
    private static final String NODE = "gateway-fast";
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs(
            "--chatcentral.processor.presence.commit-interval=" + COMMIT_INTERVAL.toMillis() + "ms",
            "--chatcentral.processor.presence.typing-timeout=3s");

    /** When each typing event was first read, by lane and event id. */
    private final Map<String, Long> fastSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> durableSeen = new ConcurrentHashMap<>();
    private final List<RealtimeEvent> fastInOrder = new ArrayList<>();
    private long bootEpoch;

    @Test
    void shouldShowTheStopsItDecidesOnTheFastLaneInTheEmpresasOrderLongBeforeTheTransactionCommits() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String health = stack.management("/actuator/health", null).body();
            assertThat(Json.MAPPER.readTree(health).path("components").path("presenceStreams").path("status")
                    .stringValue()).isEqualTo("UP");
        });
        bootEpoch = System.currentTimeMillis();
        stack.send(Topics.NODE_HEARTBEATS, NODE, new NodeHeartbeat(NODE, bootEpoch, Instant.now()));

        try (KafkaConsumer<String, String> consumer = consumer()) {
            // the presence tasks may still be being assigned after health says UP: wait for a first stop
            session(Signal.SESSION_OPENED, "ana-0");
            typing(Signal.TYPING_START, "conv-warm-up", "ana-0");
            session(Signal.SESSION_CLOSED, "ana-0");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                poll(consumer);
                assertThat(fastInOrder).hasSize(1);
            });
            // its copy comes with a commit, the next one a commit interval later: what follows happens in between
            String warmUp = fastInOrder.get(0).id();
            await().atMost(COMMIT_INTERVAL.plusSeconds(20)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                poll(consumer);
                assertThat(durableSeen).containsKey(warmUp);
            });
            fastInOrder.clear();
            fastSeen.clear();

            session(Signal.SESSION_OPENED, "ana-1");
            for (int i = 0; i < 5; i++) {
                typing(Signal.TYPING_START, "conv-" + i, "ana-1");
            }
            pollFor(consumer, Duration.ofMillis(300));
            assertThat(fastInOrder).as("starts of frames are the gateway's to announce").isEmpty();
            long closedAt = System.nanoTime();
            session(Signal.SESSION_CLOSED, "ana-1");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                poll(consumer);
                assertThat(fastInOrder).hasSize(5);
            });
            // in the order of chat.events, each on the empresa's partition
            assertThat(fastInOrder).extracting(e -> e.type() + " " + e.data().get("conversaId").stringValue())
                    .containsExactly("typing_stop conv-0", "typing_stop conv-1", "typing_stop conv-2",
                            "typing_stop conv-3", "typing_stop conv-4");
            for (RealtimeEvent stop : fastInOrder) {
                assertThat(Duration.ofNanos(fastSeen.get(stop.id()) - closedAt)).isLessThan(Duration.ofSeconds(1));
            }

            // the durable copies come with the commit, with the same ids
            await().atMost(COMMIT_INTERVAL.plusSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                poll(consumer);
                assertThat(durableSeen.keySet()).containsAll(fastSeen.keySet());
            });
            long lead = fastSeen.entrySet().stream()
                    .mapToLong(e -> durableSeen.get(e.getKey()) - e.getValue()).sum() / fastSeen.size();
            assertThat(Duration.ofNanos(lead)).as("how long the fast lane is ahead of the commit, on average")
                    .isGreaterThan(Duration.ofSeconds(1));

            // a start never stopped ends on the fast lane too, after the typing timeout
            session(Signal.SESSION_OPENED, "ana-2");
            typing(Signal.TYPING_START, "conv-left", "ana-2");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                poll(consumer);
                assertThat(fastInOrder).extracting(e -> e.type() + " " + e.data().get("conversaId").stringValue())
                        .endsWith("typing_stop conv-left");
            });
        }
    }

    private void session(String type, String sessionId) {
        stack.send(Topics.SIGNALS, EMPRESA, new Signal(type, NODE, type.equals(Signal.SESSION_OPENED) ? bootEpoch
                : null, sessionId, EMPRESA, "ana", "Ana", null, null, Instant.now()));
    }

    private void typing(String type, String conversaId, String sessionId) {
        stack.send(Topics.SIGNALS, EMPRESA, new Signal(type, NODE, null, sessionId, EMPRESA, "ana", "Ana", conversaId,
                null, Instant.now()));
    }

    private KafkaConsumer<String, String> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        int partition = EmpresaPartition.of(EMPRESA, stack.app().partitions(Topics.EVENTS));
        List<TopicPartition> partitions = List.of(new TopicPartition(Topics.EPHEMERAL.name(), partition),
                new TopicPartition(Topics.EVENTS.name(), partition));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private void pollFor(KafkaConsumer<String, String> consumer, Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            poll(consumer);
        }
    }

    private void poll(KafkaConsumer<String, String> consumer) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(10))) {
            long now = System.nanoTime();
            RealtimeEvent event = Json.MAPPER.readValue(record.value(), RealtimeEvent.class);
            if (!event.type().startsWith("typing_")) {
                continue;
            }
            assertThat(record.key()).isEqualTo(EMPRESA);
            if (record.topic().equals(Topics.EPHEMERAL.name())) {
                fastSeen.putIfAbsent(event.id(), now);
                fastInOrder.add(event);
            } else {
                durableSeen.putIfAbsent(event.id(), now);
            }
        }
    }
}
