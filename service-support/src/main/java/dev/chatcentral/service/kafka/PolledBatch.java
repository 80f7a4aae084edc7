package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** One poll of an {@link AssignedReader}, with the positions looked up once per partition. */
final class PolledBatch<K, V> implements AssignedReader.Batch<K, V> {

    private final CommittedTopic<K, V> topic;
    private final KafkaConsumer<K, V> kafka;
    private final Set<Integer> partitions;
    private final ConsumerRecords<K, V> records;
    private final Duration lookupTimeout;
    private final Map<Integer, Long> looked = new HashMap<>();

    PolledBatch(CommittedTopic<K, V> topic, KafkaConsumer<K, V> kafka, Set<Integer> partitions,
                ConsumerRecords<K, V> records, Duration lookupTimeout) {
        this.topic = topic;
        this.kafka = kafka;
        this.partitions = partitions;
        this.records = records;
        this.lookupTimeout = lookupTimeout;
    }

    @Override
    public ConsumerRecords<K, V> records() {
        return records;
    }

    @Override
    public Set<Integer> partitions() {
        return partitions;
    }

    @Override
    public long position(int partition) {
        return looked.computeIfAbsent(partition, p -> kafka.position(topic.partition(p), lookupTimeout));
    }
}
