package dev.chatcentral.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The tools' Kafka clients: short timeouts, so an unreachable broker is reported in seconds, not retried for ever. */
final class Kafka {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** How long a read may go without a record while its partitions are not at their end yet. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private Kafka() {
    }

    static Map<String, Object> config(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "chat-central-replay");
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return config;
    }

    static Admin admin(String bootstrap) {
        return Admin.create(config(bootstrap));
    }

    /** The future's value, or the failure as one the tool reports (exit status 4). */
    static <T> T await(KafkaFuture<T> future, String what) throws ReplayFailure {
        try {
            return future.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ReplayFailure.unreachable("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw ReplayFailure.unreachable("cannot " + what + ": a topic does not exist on this broker", null);
            }
            throw ReplayFailure.unreachable("cannot " + what + " (is the broker reachable?)", e.getCause());
        } catch (TimeoutException e) {
            throw ReplayFailure.unreachable("cannot " + what + ": the broker did not answer in "
                    + TIMEOUT.multipliedBy(2).toSeconds() + " s", null);
        }
    }

    static List<TopicPartition> partitions(Admin admin, String topic) throws ReplayFailure {
        TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(),
                "describe " + topic).get(topic);
        return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Each partition's end as read_committed readers see it (the last stable offset). */
    static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> partitions) throws ReplayFailure {
        return offsets(admin, partitions, OffsetSpec.latest());
    }

    /** The first offset of each partition at or after {@code timestampMs}; its end where there is none. */
    static Map<TopicPartition, Long> offsetsAt(Admin admin, List<TopicPartition> partitions, long timestampMs)
            throws ReplayFailure {
        Map<TopicPartition, Long> at = offsets(admin, partitions, OffsetSpec.forTimestamp(timestampMs));
        Map<TopicPartition, Long> ends = ends(admin, partitions);
        Map<TopicPartition, Long> result = new HashMap<>();
        at.forEach((partition, offset) -> result.put(partition, offset < 0 ? ends.get(partition) : offset));
        return result;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws ReplayFailure {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, spec));
        var listed = await(admin.listOffsets(query, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
                "list offsets");
        Map<TopicPartition, Long> offsets = new HashMap<>();
        listed.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * The earliest timestamp among the first committed records of the partitions from {@code from} (the log's start
     * where absent), or empty when none holds a record below its end.
     */
    static OptionalLong firstTimestamp(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends)
            throws ReplayFailure {
        Map<TopicPartition, Long> firsts = new HashMap<>();
        Map<TopicPartition, Long> oneEach = new HashMap<>();
        ends.forEach((partition, end) -> {
            long start = from.getOrDefault(partition, 0L);
            if (end > start) {
                oneEach.put(partition, end);
            }
        });
        readWhile(bootstrap, from, oneEach, record -> {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            firsts.putIfAbsent(partition, record.timestamp());
        }, partition -> firsts.containsKey(partition));
        return firsts.values().stream().mapToLong(Long::longValue).min();
    }

    /**
     * Hands every committed record of the partitions from {@code from} (the log's start where absent) up to
     * {@code ends} to {@code each}, partition by partition in offset order within each.
     */
    static void read(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends,
                     Consumer<ConsumerRecord<String, byte[]>> each) throws ReplayFailure {
        readWhile(bootstrap, from, ends, each, partition -> false);
    }

    /** {@link #read}, each partition also done once {@code done} says so. */
    private static void readWhile(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends,
                                  Consumer<ConsumerRecord<String, byte[]>> each, Predicate<TopicPartition> done)
            throws ReplayFailure {
        Map<String, Object> config = config(bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(ends.keySet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            from.forEach((partition, offset) -> {
                if (ends.containsKey(partition)) {
                    consumer.seek(partition, offset);
                }
            });
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(p -> !done.test(p) && consumer.position(p) < ends.get(p))) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ends.get(partition)) {
                        each.accept(record);
                    }
                }
                consumer.pause(partitions.stream().filter(p -> done.test(p) || consumer.position(p) >= ends.get(p))
                        .toList());
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw ReplayFailure.unreachable("no record for " + STALL.toSeconds() + " s while reading "
                            + partitions + " up to " + ends, null);
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw ReplayFailure.unreachable("cannot read " + ends.keySet(), e);
        }
    }
}
