package dev.chatcentral.ingest.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.ingest.IngestProperties;
import dev.chatcentral.ingest.webhook.InlineMedia;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.evolution.MediaReference;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Writes accepted webhooks to {@code chat.webhooks} (and their inline media to {@code chat.media}) with acks=all
 * and an idempotent producer: an acknowledged webhook survives a broker failover and a producer retry never
 * duplicates it. Every wait is bounded by {@code ackTimeout}, so with Kafka away the caller still gets an answer
 * in time to tell Evolution to retry.
 */
@Component
public class WebhookPublisher implements DisposableBean {

    /** Media up to the ingest's body limit, plus room for headers. */
    private static final int MAX_REQUEST_BYTES = 17 * 1024 * 1024;

    private final KafkaProducer<String, byte[]> producer;
    private final Duration ackTimeout;

    public WebhookPublisher(KafkaProperties kafkaProperties, IngestProperties properties) {
        this.ackTimeout = properties.ackTimeout();
        long ackMillis = ackTimeout.toMillis();
        Map<String, Object> config = kafkaProperties.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        // send() blocks the request thread while metadata is missing (broker away): half the budget at most
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(100, ackMillis / 2));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, ackMillis / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(2000, ackMillis));
        this.producer = new KafkaProducer<>(config, Topics.WEBHOOKS.keySerde().serializer(), new ByteArraySerializer());
    }

    /** Thrown (as the future's failure) when Kafka did not acknowledge in time: the webhook is not accepted. */
    public static class NotAcknowledgedException extends RuntimeException {
        NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Completes once the broker acknowledged the webhook, or fails with {@link NotAcknowledgedException} within
     * the ack timeout. The apikey must already be redacted.
     */
    public CompletableFuture<Void> publish(String empresaId, InlineMedia detached, String correlationId,
                                           long receivedAtMillis) {
        CompletableFuture<EvolutionWebhook> ready = detached.hasMedia()
                ? writeMedia(empresaId, detached, correlationId).thenApply(ref -> withReference(detached.webhook(), ref))
                : CompletableFuture.completedFuture(detached.webhook());
        return ready.thenCompose(webhook -> {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.WEBHOOKS.name(), empresaId,
                            Topics.WEBHOOKS.valueSerde().serializer().serialize(Topics.WEBHOOKS.name(), webhook));
                    Headers headers = record.headers();
                    RecordHeaders.put(headers, RecordHeaders.EMPRESA_ID, empresaId);
                    RecordHeaders.put(headers, RecordHeaders.INSTANCE, webhook.instance());
                    RecordHeaders.put(headers, RecordHeaders.EVENT, webhook.event());
                    RecordHeaders.put(headers, RecordHeaders.RECEIVED_AT, Long.toString(receivedAtMillis));
                    RecordHeaders.put(headers, RecordHeaders.CORRELATION_ID, correlationId);
                    return send(record);
                })
                .<Void>thenApply(metadata -> null)
                .orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(notAcknowledged(e)));
    }

    private CompletableFuture<MediaReference> writeMedia(String empresaId, InlineMedia media, String correlationId) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA.name(), empresaId, media.bytes());
        RecordHeaders.put(record.headers(), RecordHeaders.EMPRESA_ID, empresaId);
        RecordHeaders.put(record.headers(), RecordHeaders.CORRELATION_ID, correlationId);
        return send(record).thenApply(m -> new MediaReference(Topics.MEDIA.name(), m.partition(), m.offset(),
                media.bytes().length, media.mimetype()));
    }

    private static EvolutionWebhook withReference(EvolutionWebhook webhook, MediaReference reference) {
        ((ObjectNode) webhook.data().get("message")).set(MediaReference.FIELD, Json.MAPPER.valueToTree(reference));
        return webhook;
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // metadata unavailable within max.block.ms, buffer full, record too large
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private NotAcknowledgedException notAcknowledged(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String message = cause instanceof java.util.concurrent.TimeoutException
                ? "Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms"
                : "Kafka refused the write: " + cause.getMessage();
        return new NotAcknowledgedException(message, cause);
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
