package dev.chatcentral.processor.dlq;

import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.schemas.topic.RecordHeaders;

/**
 * Builds the record that parks an unprocessable input in the DLQ: the original key, value bytes and headers as
 * they arrived, plus headers saying why it failed, where it came from and how many attempts were made, so it can
 * be inspected and redriven.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** A record that failed at its first attempt and is not retried (invalid, or a processing bug). */
    public static Record<String, byte[]> of(Record<String, byte[]> original, Optional<RecordMetadata> source,
                                            Exception failure, long failedAtMillis) {
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(original.headers().toArray());
        source.ifPresent(metadata -> origin(headers, metadata.topic(), metadata.partition(), metadata.offset()));
        failure(headers, failure.getClass().getName(), describe(failure), 1, failedAtMillis, failedAtMillis);
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    /** A parked record whose last attempt failed with {@code failure}, after {@code failures} attempts in all. */
    public static Record<String, byte[]> of(ParkedRecord parked, Exception failure, int failures,
                                            long failedAtMillis) {
        Headers headers = parked.originalHeaders();
        origin(headers, parked.originalTopic(), parked.originalPartition(), parked.originalOffset());
        failure(headers, failure.getClass().getName(), describe(failure), failures,
                parked.failures() == 0 ? failedAtMillis : parked.firstFailedAt(), failedAtMillis);
        return new Record<>(parked.key(), parked.value(), parked.timestamp(), headers);
    }

    private static void origin(Headers headers, String topic, int partition, long offset) {
        RecordHeaders.put(headers, RecordHeaders.ORIGINAL_TOPIC, topic);
        RecordHeaders.put(headers, RecordHeaders.ORIGINAL_PARTITION, Integer.toString(partition));
        RecordHeaders.put(headers, RecordHeaders.ORIGINAL_OFFSET, Long.toString(offset));
    }

    private static void failure(Headers headers, String exception, String message, int attempts, long firstMillis,
                                long lastMillis) {
        RecordHeaders.put(headers, RecordHeaders.ERROR_EXCEPTION, exception);
        RecordHeaders.put(headers, RecordHeaders.ERROR_MESSAGE, message);
        RecordHeaders.put(headers, RetryHeaders.ATTEMPTS, Integer.toString(attempts));
        RecordHeaders.put(headers, RetryHeaders.FIRST_FAILED_AT, Instant.ofEpochMilli(firstMillis).toString());
        RecordHeaders.put(headers, RecordHeaders.FAILED_AT, Instant.ofEpochMilli(lastMillis).toString());
    }

    private static String describe(Exception failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }
}
