package dev.chatcentral.processor.dlq;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Input records whose outputs Kafka refused for good, reported by the production exception handler so that the
 * topology dead-letters them when it reads them again.
 *
 * <p>Under exactly-once, an output Kafka refuses (too large for its topic, say) puts the transaction in an abortable
 * state: Kafka Streams 4.1's handlers cannot let processing continue, and they cannot add a record to the
 * transaction. So the handler marks the input record here and fails the thread; the thread is replaced, the task
 * resumes from its last commit, and the processor, finding the input marked, sends it to the DLQ inside that
 * transaction instead of processing it again. One instance per Kafka Streams client: its marks are about its own
 * tasks' inputs, and are lost on restart, which costs one more failure of the same record, never a loss.
 */
public final class PoisonRecords {

    /** A mark older than this many others is dropped: a bound, never reached unless something is very wrong. */
    private static final int MAX_MARKS = 10_000;

    /** Why the record is marked. */
    public record Poison(DeadLetterReason reason, Exception failure) {
    }

    private final Map<String, Poison> marks = new ConcurrentHashMap<>();

    public void mark(String topic, int partition, long offset, Poison poison) {
        if (marks.size() >= MAX_MARKS) {
            marks.clear();
        }
        marks.put(key(topic, partition, offset), poison);
    }

    /** Whether no record is marked: a thread that dies then died of something else. */
    public boolean isEmpty() {
        return marks.isEmpty();
    }

    /** The mark of this input record, removed, or null when it has none. */
    public Poison take(String topic, int partition, long offset) {
        return marks.isEmpty() ? null : marks.remove(key(topic, partition, offset));
    }

    private static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "-" + offset;
    }
}
