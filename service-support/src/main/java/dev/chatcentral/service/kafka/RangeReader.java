package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a bounded stretch of one partition of a {@link CommittedTopic}, on the caller's thread: the sibling of
 * {@link AssignedReader} for reads that end (a resume's missed events). Each read takes a consumer from a small
 * pool, so concurrent reads do not wait for each other nor pay a consumer's start-up each time; a consumer that
 * failed is closed instead of going back.
 */
public final class RangeReader<K, V> implements AutoCloseable {

    /** What one read is after; its methods run on the reading thread. */
    public interface Range<K, V> {

        /**
         * Where to start, knowing the partition holds the offsets {@code [logStart, end)} now (read_committed:
         * {@code end} is the last stable offset); empty to read nothing.
         */
        OptionalLong start(long logStart, long end);

        /** Everything below {@code position} has been handed over. False stops the read. */
        boolean reached(long position);

        /** The next record (after {@link #reached} its offset). False stops the read. */
        boolean accept(ConsumerRecord<K, V> record) throws InterruptedException;
    }

    private final CommittedTopic<K, V> topic;
    private final Duration pollTimeout;
    private final LinkedBlockingQueue<KafkaConsumer<K, V>> idle = new LinkedBlockingQueue<>();

    /** @param pollTimeout how long one poll waits for records before the read checks its time again */
    public RangeReader(CommittedTopic<K, V> topic, Duration pollTimeout) {
        this.topic = topic;
        this.pollTimeout = pollTimeout;
    }

    /**
     * Reads {@code partition} for {@code range} until it stops the read or {@code timeout} runs out; the timeout
     * also bounds each lookup of offsets. A {@link org.apache.kafka.common.KafkaException} ends the read.
     *
     * @return false when the time ran out before the range stopped the read
     */
    public boolean read(int partition, Duration timeout, Range<K, V> range) throws InterruptedException {
        KafkaConsumer<K, V> consumer = idle.poll();
        if (consumer == null) {
            // none: an out-of-range position fails the read rather than read from elsewhere
            consumer = topic.open("none");
        }
        boolean reusable = false;
        try {
            boolean done = read(consumer, topic.partition(partition), timeout, range);
            reusable = true;
            return done;
        } finally {
            if (reusable) {
                consumer.unsubscribe();
                idle.add(consumer);
            } else {
                consumer.close(Duration.ZERO);
            }
        }
    }

    private boolean read(KafkaConsumer<K, V> consumer, TopicPartition partition, Duration timeout,
                         Range<K, V> range) throws InterruptedException {
        consumer.assign(List.of(partition));
        long logStart = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        OptionalLong start = range.start(logStart, end);
        if (start.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        consumer.seek(partition, start.getAsLong());
        while (true) {
            if (!range.reached(consumer.position(partition, timeout))) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<K, V> record : topic.poll(consumer, pollTimeout)) {
                if (!range.reached(record.offset()) || !range.accept(record)) {
                    return true;
                }
            }
        }
    }

    /** Closes the idle consumers; reads in progress close theirs when they end. */
    @Override
    public void close() {
        KafkaConsumer<K, V> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close(Duration.ZERO);
        }
    }
}
