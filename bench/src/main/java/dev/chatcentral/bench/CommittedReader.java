package dev.chatcentral.bench;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of the harness's own that sees only committed transactions, as the sink and the gateways do: what it
 * reads, and when, is what those readers could have read.
 */
public final class CommittedReader {

    private CommittedReader() {
    }

    /** @param autoOffsetReset where a partition without a committed offset starts: earliest or latest */
    public static KafkaConsumer<String, byte[]> open(String bootstrapServers, String autoOffsetReset) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + System.nanoTime(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset), new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
