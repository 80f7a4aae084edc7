package dev.chatcentral.processor.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.stereotype.Component;

/**
 * Commits an idle sink consumer's position where it passed the committed offset. The topology writes in
 * transactions, so each partition ends with a commit marker the listener never sees as a record: offsets committed
 * after a batch stop one short of it, and the sink would show a lag of one per partition forever. spring-kafka's
 * own fix ({@code fixTxOffsets}) misses a partition whose last batch was cut by {@code max.poll.records} right
 * before the marker; this catches those. Runs on the consumer's thread, between polls, when every record it was
 * given is written and committed, so the position is only past markers (or aborted records, also never to be
 * read).
 */
@Component
class IdleOffsetCommitter {

    @EventListener(condition = "event.listenerId.startsWith('" + SinkConfiguration.LISTENER_ID + "')")
    void onIdle(ListenerContainerIdleEvent event) {
        Consumer<?, ?> consumer = event.getConsumer();
        Set<TopicPartition> assignment = consumer.assignment();
        if (event.isPaused() || assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
        Map<TopicPartition, OffsetAndMetadata> behind = new HashMap<>();
        for (TopicPartition partition : assignment) {
            long position = consumer.position(partition);
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null && position > offset.offset()) {
                behind.put(partition, new OffsetAndMetadata(position));
            }
        }
        if (!behind.isEmpty()) {
            consumer.commitSync(behind);
        }
    }
}
