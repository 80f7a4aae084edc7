package dev.chatcentral.processor.retry;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A {@code chat.webhooks} record waiting in the parking store, byte for byte as it arrived, with where it came
 * from and how its attempts went.
 *
 * @param dedupeKey     what the dedupe store remembers it by, forgotten again if it ends in the DLQ so that a
 *                      redrive is not dropped as a duplicate
 * @param failures      failed attempts so far (0 while it only waits behind another record)
 * @param dueAt         wall-clock millis when it may be retried
 */
public record ParkedRecord(
        String key,
        byte[] value,
        long timestamp,
        List<ParkedHeader> headers,
        String originalTopic,
        int originalPartition,
        long originalOffset,
        String dedupeKey,
        State state,
        int failures,
        long dueAt,
        long firstFailedAt,
        long lastFailedAt,
        String errorClass,
        String errorMessage) {

    public enum State {
        /** Has not failed; waits because an earlier record of its conversa is parked. */
        WAITING,
        /** Failed; will be released to the retry topic at {@code dueAt}. */
        PARKED,
        /** Sent to the retry topic; the retry decides what happens next. */
        RELEASED
    }

    public record ParkedHeader(String name, byte[] value) {
    }

    public static ParkedRecord waiting(String key, byte[] value, long timestamp, Headers headers, String topic,
                                       int partition, long offset, String dedupeKey) {
        List<ParkedHeader> copied = new ArrayList<>();
        for (Header header : headers) {
            copied.add(new ParkedHeader(header.key(), header.value()));
        }
        return new ParkedRecord(key, value, timestamp, List.copyOf(copied), topic, partition, offset, dedupeKey,
                State.WAITING, 0, 0, 0, 0, null, null);
    }

    /** This record after one more failed attempt at {@code nowMillis}, due again after the policy's backoff. */
    public ParkedRecord failed(Exception failure, long nowMillis, RetryPolicy policy) {
        int count = failures + 1;
        return new ParkedRecord(key, value, timestamp, headers, originalTopic, originalPartition, originalOffset,
                dedupeKey, State.PARKED, count, nowMillis + policy.delayMillis(count),
                failures == 0 ? nowMillis : firstFailedAt, nowMillis, failure.getClass().getName(),
                failure.getMessage());
    }

    public ParkedRecord released() {
        return new ParkedRecord(key, value, timestamp, headers, originalTopic, originalPartition, originalOffset,
                dedupeKey, State.RELEASED, failures, dueAt, firstFailedAt, lastFailedAt, errorClass, errorMessage);
    }

    /** The headers it arrived with. */
    public Headers originalHeaders() {
        Headers copy = new RecordHeaders();
        headers.forEach(h -> copy.add(h.name(), h.value()));
        return copy;
    }
}
