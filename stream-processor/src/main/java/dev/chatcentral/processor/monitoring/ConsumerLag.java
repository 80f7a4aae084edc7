package dev.chatcentral.processor.monitoring;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Reads how far consumer groups are behind: per topic, the records between each partition's end and the group's
 * committed offset. A partition the group is assigned but never committed counts from the partition's start, as
 * a consumer with {@code auto.offset.reset=earliest} would read it.
 */
final class ConsumerLag {

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    ConsumerLag(Admin admin) {
        this.admin = admin;
    }

    /** Lag by topic, for each group; a group with nothing committed and no members has no entry. */
    Map<String, Map<String, Long>> read(Collection<String> groups) throws Exception {
        Map<String, Map<TopicPartition, Long>> committedByGroup = new HashMap<>();
        Map<String, KafkaFuture<ConsumerGroupDescription>> descriptions =
                admin.describeConsumerGroups(groups).describedGroups();
        Set<TopicPartition> all = new HashSet<>();
        for (String group : groups) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()).forEach((tp, offset) -> {
                if (offset != null) {
                    committed.put(tp, offset.offset());
                }
            });
            for (MemberDescription member : members(descriptions.get(group))) {
                member.assignment().topicPartitions().forEach(tp -> committed.putIfAbsent(tp, null));
            }
            committedByGroup.put(group, committed);
            all.addAll(committed.keySet());
        }
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest());
        Set<TopicPartition> neverCommitted = committedByGroup.values().stream()
                .flatMap(m -> m.entrySet().stream()).filter(e -> e.getValue() == null).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> starts = neverCommitted.isEmpty() ? Map.of()
                : offsets(neverCommitted, OffsetSpec.earliest());

        Map<String, Map<String, Long>> lag = new TreeMap<>();
        committedByGroup.forEach((group, committed) -> {
            Map<String, Long> byTopic = new TreeMap<>();
            committed.forEach((tp, offset) -> {
                long from = offset != null ? offset : starts.getOrDefault(tp, 0L);
                long end = ends.getOrDefault(tp, from);
                byTopic.merge(tp.topic(), Math.max(0, end - from), Long::sum);
            });
            if (!byTopic.isEmpty()) {
                lag.put(group, byTopic);
            }
        });
        return lag;
    }

    /** Records a topic holds now, over all its partitions: what retention has not yet deleted. */
    long held(String topic, int partitions) throws Exception {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, Long> starts = offsets(all, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest());
        return all.stream().mapToLong(tp -> Math.max(0, ends.get(tp) - starts.get(tp))).sum();
    }

    /** The group's members, none if the group does not exist (yet). */
    private static Collection<MemberDescription> members(KafkaFuture<ConsumerGroupDescription> description)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return get(description).members();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = get(admin.listOffsets(request).all());
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static <T> T get(KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
