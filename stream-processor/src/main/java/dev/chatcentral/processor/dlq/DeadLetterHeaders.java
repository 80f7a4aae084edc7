package dev.chatcentral.processor.dlq;

import java.time.Instant;

import org.apache.kafka.common.header.Headers;

import dev.chatcentral.processor.retry.RetryHeaders;
import dev.chatcentral.schemas.topic.RecordHeaders;

/**
 * The headers a dead letter carries beside the original ones: which stage gave up and why, where the record came
 * from and whose it is, and how its attempts went. The error text is bounded so that any input record, with these,
 * fits the DLQ.
 */
public final class DeadLetterHeaders {

    /** Longest error text kept (characters). */
    static final int MAX_ERROR_MESSAGE = 4096;

    private DeadLetterHeaders() {
    }

    /** Where a dead letter came from: its topic, partition and offset, and the empresa it belongs to. */
    public record Origin(String topic, int partition, long offset, String empresaId) {
    }

    /** How its processing went: how many attempts, the first and the last failure (epoch millis). */
    public record Attempts(int count, long firstFailedAtMillis, long lastFailedAtMillis) {

        public static Attempts once(long failedAtMillis) {
            return new Attempts(1, failedAtMillis, failedAtMillis);
        }
    }

    /** Adds (or replaces) the dead-letter headers on {@code headers}, a copy of the original ones. */
    public static Headers add(Headers headers, DeadLetterStage stage, DeadLetterReason reason, Throwable failure,
                              Origin origin, Attempts attempts) {
        RecordHeaders.put(headers, RecordHeaders.ORIGINAL_TOPIC, origin.topic());
        RecordHeaders.put(headers, RecordHeaders.ORIGINAL_PARTITION, Integer.toString(origin.partition()));
        RecordHeaders.put(headers, RecordHeaders.ORIGINAL_OFFSET, Long.toString(origin.offset()));
        if (origin.empresaId() != null && RecordHeaders.get(headers, RecordHeaders.EMPRESA_ID) == null) {
            RecordHeaders.put(headers, RecordHeaders.EMPRESA_ID, origin.empresaId());
        }
        RecordHeaders.put(headers, RecordHeaders.DLQ_STAGE, stage.code());
        RecordHeaders.put(headers, RecordHeaders.ERROR_REASON, reason.code());
        RecordHeaders.put(headers, RecordHeaders.ERROR_EXCEPTION, failure.getClass().getName());
        RecordHeaders.put(headers, RecordHeaders.ERROR_MESSAGE, describe(failure));
        RecordHeaders.put(headers, RetryHeaders.ATTEMPTS, Integer.toString(attempts.count()));
        RecordHeaders.put(headers, RetryHeaders.FIRST_FAILED_AT,
                Instant.ofEpochMilli(attempts.firstFailedAtMillis()).toString());
        RecordHeaders.put(headers, RecordHeaders.FAILED_AT,
                Instant.ofEpochMilli(attempts.lastFailedAtMillis()).toString());
        return headers;
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        return message.length() <= MAX_ERROR_MESSAGE ? message
                : message.substring(0, MAX_ERROR_MESSAGE - 1) + "…";
    }
}
