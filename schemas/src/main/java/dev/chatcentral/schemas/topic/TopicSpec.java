package dev.chatcentral.schemas.topic;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the catalog: its name, how many partitions it has (the deployment's count, or one), how long it keeps
 * data, the largest record it takes, and the serdes of its key and value. The count itself is the deployment's
 * ({@link TopicCatalog}): fixed forever once the topic is created, since the empresa-to-partition mapping and every
 * stored position depend on it.
 *
 * @param maxMessageBytes the topic's {@code max.message.bytes}: producers check a record against it before writing
 *                        ({@link #fits}), so a record that can never be written is refused or dead-lettered where
 *                        it is made, instead of failing a transaction that would then fail again on every retry
 */
public record TopicSpec<K, V>(
        String name,
        Partitioning partitioning,
        Duration retention,
        boolean compacted,
        int maxMessageBytes,
        Map<String, String> extraConfig,
        Serde<K> keySerde,
        Serde<V> valueSerde) {

    /** How many partitions a topic has. */
    public enum Partitioning {
        /**
         * The deployment's count ({@link TopicCatalog#partitions()}, {@code KAFKA_TOPIC_PARTITIONS}): the topics read
         * in parallel, by Kafka Streams tasks, consumer groups or gateway nodes, whose keyed inputs must share one
         * count to be co-partitioned.
         */
        DEPLOYMENT,
        /** One partition: a small topic that every reader reads whole, so spreading it would gain nothing. */
        SINGLE
    }

    /** Retention value meaning "keep forever" (compacted state topics). */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    /**
     * What a record costs on top of its key, value and headers in a batch of its own: the batch header (61 bytes),
     * the record's varints and attributes, and each header's name and length prefixes, rounded up generously.
     */
    public static final int RECORD_OVERHEAD_BYTES = 1024;

    /** The broker-side configuration this topic is created with. */
    public Map<String, String> config() {
        Map<String, String> config = new HashMap<>(extraConfig);
        config.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        config.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
        return config;
    }

    /** Whether a record of this many key, value and header bytes can be written to this topic. */
    public boolean fits(long recordBytes) {
        return recordBytes + RECORD_OVERHEAD_BYTES <= maxMessageBytes;
    }

    @Override
    public String toString() {
        return name;
    }
}
