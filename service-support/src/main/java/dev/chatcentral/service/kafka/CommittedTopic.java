package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic read without a consumer group: partitions are assigned by hand, nothing is committed, and only
 * committed transactions are seen (read_committed), as every reader of the pipeline's transactional topics must.
 * What {@link AssignedReader} and {@link RangeReader} share: how their consumers are opened and how a poll skips a
 * record it cannot deserialize.
 *
 * @param config the client's settings (bootstrap servers, security) with the reader's own applied over them
 */
public record CommittedTopic<K, V>(String name, Serde<K> keys, Serde<V> values, Map<String, Object> config) {

    private static final Logger log = LoggerFactory.getLogger(CommittedTopic.class);

    public CommittedTopic {
        Map<String, Object> own = new HashMap<>(config);
        own.remove(ConsumerConfig.GROUP_ID_CONFIG);
        own.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        own.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config = Map.copyOf(own);
    }

    /** @param base the client's settings, e.g. Spring's {@code KafkaProperties.buildConsumerProperties()} */
    public static <K, V> CommittedTopic<K, V> of(String name, Serde<K> keys, Serde<V> values,
                                                 Map<String, Object> base, String clientId) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new CommittedTopic<>(name, keys, values, config);
    }

    /**
     * @param autoOffsetReset where a position that is out of the log (deleted by retention) goes: earliest,
     *                        latest, or none to fail the read
     */
    KafkaConsumer<K, V> open(String autoOffsetReset) {
        Map<String, Object> settings = new HashMap<>(config);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        return new KafkaConsumer<>(settings, keys.deserializer(), values.deserializer());
    }

    TopicPartition partition(int partition) {
        return new TopicPartition(name, partition);
    }

    /** The next records; a record that cannot be deserialized is logged and passed over, and this poll is empty. */
    ConsumerRecords<K, V> poll(KafkaConsumer<K, V> consumer, Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            log.warn("skipping unreadable record {} offset {}: {}", e.topicPartition(), e.offset(),
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return ConsumerRecords.empty();
        }
    }
}
