package dev.chatcentral.bench;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;

import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * A reader of the harness's own that sees only committed transactions, as the sink and the gateways do: what it
 * reads, and when, is what those readers could have read. The services' {@link AssignedReader}, on every partition.
 */
public final class CommittedReader {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private CommittedReader() {
    }

    /**
     * Starts reading every partition of {@code topic} on a thread of its own, each record to {@code each}; stop it
     * with {@link AssignedReader#stop()}.
     */
    public static AssignedReader<String, byte[]> start(String bootstrapServers, TopicSpec<?, ?> topic,
                                                       AssignedReader.Start from,
                                                       Consumer<ConsumerRecord<String, byte[]>> each) {
        CommittedTopic<String, byte[]> committed = CommittedTopic.of(topic.name(), Serdes.String(),
                Serdes.ByteArray(), Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                "bench-reader");
        AssignedReader<String, byte[]> reader = new AssignedReader<>(committed, from, POLL, LOOKUP,
                "bench-reader-" + topic.name(), batch -> batch.records().forEach(each));
        reader.start();
        for (int partition = 0; partition < BenchTopics.catalog().partitions(topic); partition++) {
            reader.assign(partition).join();
        }
        return reader;
    }
}
