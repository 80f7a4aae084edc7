package dev.chatcentral.processor.dlq;

import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.chatcentral.schemas.topic.RecordHeaders;

/**
 * Builds the record that parks an unprocessable input in the DLQ: the original key, value bytes and headers as
 * they arrived, plus headers saying why it failed and where it came from, so it can be inspected and replayed.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static Record<String, byte[]> of(Record<String, byte[]> original, Optional<RecordMetadata> source,
                                            Exception failure, long failedAtMillis) {
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(original.headers().toArray());
        RecordHeaders.put(headers, RecordHeaders.ERROR_EXCEPTION, failure.getClass().getName());
        RecordHeaders.put(headers, RecordHeaders.ERROR_MESSAGE,
                failure.getMessage() != null ? failure.getMessage() : failure.toString());
        source.ifPresent(metadata -> {
            RecordHeaders.put(headers, RecordHeaders.ORIGINAL_TOPIC, metadata.topic());
            RecordHeaders.put(headers, RecordHeaders.ORIGINAL_PARTITION, Integer.toString(metadata.partition()));
            RecordHeaders.put(headers, RecordHeaders.ORIGINAL_OFFSET, Long.toString(metadata.offset()));
        });
        RecordHeaders.put(headers, RecordHeaders.FAILED_AT, Instant.ofEpochMilli(failedAtMillis).toString());
        return new Record<>(original.key(), original.value(), original.timestamp(), headers);
    }
}
