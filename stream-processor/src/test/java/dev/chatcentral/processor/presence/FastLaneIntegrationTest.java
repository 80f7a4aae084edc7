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
 * every 10 s, typing is readable on {@code chat.ephemeral} (read_committed, as gateways read it) within moments of
 * its signal, seconds before its copy in {@code chat.events} commits; in the empresa's order, on its partition.
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

    @Test
    void shouldShowTypingOnTheFastLaneInTheEmpresasOrderLongBeforeTheTransactionCommits() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String health = stack.management("/actuator/health", null).body();
            assertThat(Json.MAPPER.readTree(health).path("components").path("presenceStreams").path("status")
                    .stringValue()).isEqualTo("UP");
        });
        long bootEpoch = System.currentTimeMillis();
        stack.send(Topics.NODE_HEARTBEATS, NODE, new NodeHeartbeat(NODE, bootEpoch, Instant.now()));
        stack.send(Topics.SIGNALS, EMPRESA, new Signal(Signal.SESSION_OPENED, NODE, bootEpoch, "ana-1", EMPRESA, "ana",
                "Ana", null, null, Instant.now()));

        try (KafkaConsumer<String, String> consumer = consumer()) {
            // the presence tasks may still be being assigned after health says UP: wait for a first typing edge
            typing(Signal.TYPING_START, "conv-warm-up");
            typing(Signal.TYPING_STOP, "conv-warm-up");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                poll(consumer);
                assertThat(fastInOrder).hasSize(2);
            });
            fastInOrder.clear();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            for (int i = 0; i < 5; i++) {
                sentAt.put("conv-" + i, System.nanoTime());
                typing(Signal.TYPING_START, "conv-" + i);
                typing(Signal.TYPING_STOP, "conv-" + i);
                pollFor(consumer, Duration.ofMillis(300));
            }
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                poll(consumer);
                assertThat(fastInOrder).hasSize(10);
            });
            // in the order of the signals, stop after start, each on the empresa's partition
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                expected.add("typing_start conv-" + i);
                expected.add("typing_stop conv-" + i);
            }
            assertThat(fastInOrder).extracting(e -> e.type() + " " + e.data().get("conversaId").stringValue())
                    .containsExactlyElementsOf(expected);
            for (RealtimeEvent start : fastInOrder.stream().filter(e -> e.type().equals("typing_start")).toList()) {
                long lag = fastSeen.get(start.id()) - sentAt.get(start.data().get("conversaId").stringValue());
                assertThat(Duration.ofNanos(lag)).isLessThan(Duration.ofSeconds(1));
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
            typing(Signal.TYPING_START, "conv-left");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                poll(consumer);
                assertThat(fastInOrder).extracting(e -> e.type() + " " + e.data().get("conversaId").stringValue())
                        .endsWith("typing_start conv-left", "typing_stop conv-left");
            });
        }
    }

    private void typing(String type, String conversaId) {
        stack.send(Topics.SIGNALS, EMPRESA, new Signal(type, NODE, null, "ana-1", EMPRESA, "ana", "Ana", conversaId,
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
