package dev.chatcentral.schemas.topic;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the catalog: its name, its partition count (fixed forever once created: the empresa-to-partition
 * mapping and every stored position depend on it), how long it keeps data, and the serdes of its key and value.
 */
public record TopicSpec<K, V>(
        String name,
        int partitions,
        Duration retention,
        boolean compacted,
        Map<String, String> extraConfig,
        Serde<K> keySerde,
        Serde<V> valueSerde) {

    /** Retention value meaning "keep forever" (compacted state topics). */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    /** The broker-side configuration this topic is created with. */
    public Map<String, String> config() {
        Map<String, String> config = new HashMap<>(extraConfig);
        config.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        return config;
    }

    @Override
    public String toString() {
        return name;
    }
}
