package dev.chatcentral.service.kafka;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer's {@code send} as a future. {@code send} fails in two ways: by throwing (metadata not available within
 * {@code max.block.ms}, a full buffer, a record over {@code max.request.size}) and through its callback (the broker's
 * refusal, a delivery timeout); callers want one place to look, so both end the future.
 */
public final class Sends {

    private Sends() {
    }

    /** Completes with the record's metadata once the broker acknowledged it, exceptionally when it was not written. */
    public static <K, V> CompletableFuture<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }
}
