package dev.chatcentral.processor.dlq;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.retry.RetryLaterException;

/**
 * Builds the record that parks an input of a topology in the DLQ: the original key, value bytes and headers as
 * they arrived, plus the dead-letter headers ({@link DeadLetterHeaders}), so it can be inspected and redriven.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** Why {@code failure} makes a record a dead letter. */
    public static DeadLetterReason reason(Throwable failure) {
        if (failure instanceof Unprocessable unprocessable) {
            return unprocessable.reason();
        }
        if (failure instanceof SerializationException) {
            return DeadLetterReason.INVALID;
        }
        if (failure instanceof RetryLaterException) {
            return DeadLetterReason.RETRIES_EXHAUSTED;
        }
        return DeadLetterReason.PROCESSING_FAILED;
    }

    /** A record that failed at its first attempt and is not retried. */
    public static Record<String, byte[]> of(Record<String, byte[]> original, RecordMetadata source,
                                            DeadLetterStage stage, DeadLetterReason reason, Throwable failure,
                                            long failedAtMillis) {
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(original.headers().toArray());
        DeadLetterHeaders.add(headers, stage, reason, failure,
                new DeadLetterHeaders.Origin(source.topic(), source.partition(), source.offset(), original.key()),
                DeadLetterHeaders.Attempts.once(failedAtMillis));
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }

    /** A parked record whose last attempt failed with {@code failure}, after {@code failures} attempts in all. */
    public static Record<String, byte[]> of(ParkedRecord parked, Exception failure, int failures,
                                            long failedAtMillis) {
        Headers headers = parked.originalHeaders();
        DeadLetterHeaders.add(headers, DeadLetterStage.CONVERSA, reason(failure), failure,
                new DeadLetterHeaders.Origin(parked.originalTopic(), parked.originalPartition(),
                        parked.originalOffset(), parked.key()),
                new DeadLetterHeaders.Attempts(failures,
                        parked.failures() == 0 ? failedAtMillis : parked.firstFailedAt(), failedAtMillis));
        return new Record<>(parked.key(), parked.value(), parked.timestamp(), headers);
    }
}
