package dev.chatcentral.processor.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.chatcentral.processor.ProcessorTestStack;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The presence topology inside the running service, on a real broker, with two gateway nodes played by the test:
 * their heartbeats and their clients' signals in, presence events and snapshots out.
 */
class PresenceIntegrationTest {

    private static final String EMPRESA = "emp-presence";
    private static final String NODE_A = "gateway-a";
    private static final String NODE_B = "gateway-b";

    @RegisterExtension
    static final ProcessorTestStack stack = ProcessorTestStack.withArgs();

    private final Set<String> beating = ConcurrentHashMap.newKeySet();
    private final long bootEpoch = System.currentTimeMillis();
    private final List<ConsumerRecord<String, RealtimeEvent>> events = new ArrayList<>();
    private final List<ConsumerRecord<String, PresenceSnapshot>> snapshots = new ArrayList<>();

    @Test
    void shouldTakeUsersOfDeadNodeOfflineWithin15SecondsWhileOtherNodeHoldsItsOwn() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String health = stack.management("/actuator/health", null).body();
            assertThat(Json.MAPPER.readTree(health).path("components").path("presenceStreams").path("status")
                    .stringValue()).isEqualTo("UP");
        });

        ScheduledExecutorService gatewayNodes = Executors.newSingleThreadScheduledExecutor();
        try (KafkaConsumer<String, byte[]> consumer = outputConsumer()) {
            beating.addAll(List.of(NODE_A, NODE_B));
            gatewayNodes.scheduleAtFixedRate(() -> beating.forEach(node -> stack.send(Topics.NODE_HEARTBEATS, node,
                    new NodeHeartbeat(node, bootEpoch, Instant.now()))), 0, 2, TimeUnit.SECONDS);

            open("ana", "ana-1", NODE_A);
            open("bia", "bia-1", NODE_A);
            open("bia", "bia-2", NODE_B);
            stack.send(Topics.SIGNALS, EMPRESA, new Signal(Signal.TYPING_START, NODE_A, null, "ana-1", EMPRESA, "ana",
                    "Ana", "conv-1", null, Instant.now()));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                poll(consumer);
                assertThat(presenceChanges()).containsExactly("ana online", "bia online");
                assertThat(typing()).containsExactly("typing_start ana conv-1");
                assertThat(lastSnapshot().count()).isEqualTo(2);
            });

            beating.remove(NODE_A);
            long silencedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                poll(consumer);
                assertThat(presenceChanges()).containsExactly("ana online", "bia online", "ana offline");
            });
            Duration offlineAfter = Duration.ofNanos(System.nanoTime() - silencedAt);
            assertThat(offlineAfter).isLessThan(Duration.ofSeconds(15)).isGreaterThan(Duration.ofSeconds(5));
            assertThat(typing()).containsExactly("typing_start ana conv-1", "typing_stop ana conv-1");
            PresenceSnapshot snapshot = lastSnapshot();
            assertThat(snapshot.empresaId()).isEqualTo(EMPRESA);
            assertThat(snapshot.online()).extracting(PresenceSnapshot.OnlineUser::userId).containsExactly("bia");
            assertThat(snapshot.count()).isEqualTo(1);
            assertThat(snapshot.version()).isEqualTo(3);

            // the snapshot sits at the partition number of the empresa's events, where the gateway looks for it
            int partition = EmpresaPartition.of(EMPRESA, stack.app().partitions(Topics.EVENTS));
            assertThat(events).extracting(ConsumerRecord::partition).containsOnly(partition);
            assertThat(snapshots).extracting(ConsumerRecord::partition).containsOnly(partition);
        } finally {
            gatewayNodes.shutdownNow();
        }
    }

    private void open(String userId, String sessionId, String nodeId) {
        stack.send(Topics.SIGNALS, EMPRESA, new Signal(Signal.SESSION_OPENED, nodeId, bootEpoch, sessionId, EMPRESA,
                userId, userId.toUpperCase(), null, null, Instant.now()));
    }

    private static KafkaConsumer<String, byte[]> outputConsumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < stack.app().partitions(Topics.EVENTS); p++) {
            partitions.add(new TopicPartition(Topics.EVENTS.name(), p));
            partitions.add(new TopicPartition(Topics.PRESENCE.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private void poll(KafkaConsumer<String, byte[]> consumer) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.topic().equals(Topics.EVENTS.name())) {
                events.add(typed(record, Topics.EVENTS.valueSerde().deserializer().deserialize("", record.value())));
            } else {
                snapshots.add(typed(record,
                        Topics.PRESENCE.valueSerde().deserializer().deserialize("", record.value())));
            }
        }
    }

    private static <V> ConsumerRecord<String, V> typed(ConsumerRecord<String, byte[]> record, V value) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(), value);
    }

    private List<String> presenceChanges() {
        return events.stream().map(ConsumerRecord::value)
                .filter(e -> e.type().equals(EventType.PRESENCE_UPDATE))
                .map(e -> e.data().get("userId").stringValue() + " "
                        + (e.data().get("online").booleanValue() ? "online" : "offline"))
                .toList();
    }

    private List<String> typing() {
        return events.stream().map(ConsumerRecord::value)
                .filter(e -> e.type().startsWith("typing_"))
                .map(e -> e.type() + " " + e.data().get("userId").stringValue() + " "
                        + e.data().get("conversaId").stringValue())
                .toList();
    }

    private PresenceSnapshot lastSnapshot() {
        assertThat(snapshots).isNotEmpty();
        return snapshots.get(snapshots.size() - 1).value();
    }
}
