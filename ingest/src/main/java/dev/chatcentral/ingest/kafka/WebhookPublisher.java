package dev.chatcentral.ingest.kafka;

import java.time.Duration;
import java.time.Instant;
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
import dev.chatcentral.schemas.signal.IngestNodeStart;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.Sends;

/**
 * Writes accepted webhooks to {@code chat.webhooks} (and their inline media to {@code chat.media}) with acks=all
 * and an idempotent producer: an acknowledged webhook survives a broker failover and a producer retry never
 * duplicates it. Every wait is bounded by {@code ackTimeout}, so with Kafka away the caller still gets an answer
 * in time to tell Evolution to retry.
 */
@Component
public class WebhookPublisher implements DisposableBean {

    /** What a {@code mediaRef} adds to the webhook that carries it, generously. */
    private static final int MEDIA_REFERENCE_BYTES = 512;
    /** The header names, and the values not counted otherwise (instance, event, time), generously. */
    private static final int HEADER_BYTES = 1024;

    private final KafkaProducer<String, byte[]> producer;
    private final Duration ackTimeout;

    public WebhookPublisher(KafkaProperties kafkaProperties, IngestProperties properties) {
        this.ackTimeout = properties.ackTimeout();
        long ackMillis = ackTimeout.toMillis();
        Map<String, Object> config = kafkaProperties.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.maxRequestBytes(Topics.MEDIA_MAX_BYTES));
        // send() blocks the request thread while metadata is missing (broker away): half the budget at most
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(100, ackMillis / 2));
        // A broker busy for a second is not down: the producer keeps trying a write well past the moment the HTTP
        // answer is due (503 after the ack timeout, which Evolution retries), instead of counting every slow
        // acknowledgement as a failure and failing the writes queued behind it. A write acknowledged after its 503
        // arrives again with Evolution's retry and is dropped as a duplicate downstream.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) properties.producer().requestTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) properties.producer().deliveryTimeout().toMillis());
        this.producer = new KafkaProducer<>(config, Topics.WEBHOOKS.keySerde().serializer(), new ByteArraySerializer());
    }

    /**
     * Makes the producer ready for the first webhooks: metadata of the topics it writes, its producer id, and
     * connections, through one acknowledged write of this node's start to {@code chat.ingest.nodes}. Until it
     * succeeds the node reports not ready, so no webhook pays for a cold producer.
     *
     * @throws java.util.concurrent.ExecutionException or another exception when it did not succeed in time
     */
    public void warmUp(String nodeId, Duration timeout) throws Exception {
        producer.partitionsFor(Topics.WEBHOOKS.name());
        producer.partitionsFor(Topics.MEDIA.name());
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        byte[] start = Topics.INGEST_NODES.valueSerde().serializer().serialize(Topics.INGEST_NODES.name(), headers,
                new IngestNodeStart(nodeId, Instant.now()));
        producer.send(new ProducerRecord<>(Topics.INGEST_NODES.name(), null, nodeId, start, headers))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Thrown (as the future's failure) when Kafka did not acknowledge in time: the webhook is not accepted. */
    public static class NotAcknowledgedException extends RuntimeException {
        NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Thrown (as the future's failure) when the webhook, even with its inline media split off, cannot fit
     * {@code chat.webhooks}: it can never be accepted, so it is refused for good instead of retried.
     */
    public static class TooLargeException extends RuntimeException {
        TooLargeException(long bytes) {
            super("the webhook without its inline media is " + bytes + " bytes, over the " + Topics.WEBHOOKS.name()
                    + " limit of " + Topics.WEBHOOKS.maxMessageBytes() + " bytes");
        }
    }

    /**
     * Completes once the broker acknowledged the webhook, or fails with {@link NotAcknowledgedException} within
     * the ack timeout, or at once with {@link TooLargeException}. The apikey must already be redacted.
     */
    public CompletableFuture<Void> publish(String empresaId, InlineMedia detached, String correlationId,
                                           long receivedAtMillis) {
        if (detached.hasMedia()) {
            // the reference replaces the media: checked before the media is written for nothing
            long withoutMedia = recordBytes(empresaId,
                    serialize(detached.webhook(), new org.apache.kafka.common.header.internals.RecordHeaders()),
                    correlationId)
                    + MEDIA_REFERENCE_BYTES;
            if (!Topics.WEBHOOKS.fits(withoutMedia)) {
                return CompletableFuture.failedFuture(new TooLargeException(withoutMedia));
            }
        }
        CompletableFuture<EvolutionWebhook> ready = detached.hasMedia()
                ? writeMedia(empresaId, detached, correlationId).thenApply(ref -> withReference(detached.webhook(), ref))
                : CompletableFuture.completedFuture(detached.webhook());
        return ready.thenCompose(webhook -> {
                    Headers versioned = new org.apache.kafka.common.header.internals.RecordHeaders();
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.WEBHOOKS.name(), null,
                            empresaId, serialize(webhook, versioned), versioned);
                    // the record holds a copy of the headers it was given
                    Headers headers = record.headers();
                    RecordHeaders.put(headers, RecordHeaders.EMPRESA_ID, empresaId);
                    RecordHeaders.put(headers, RecordHeaders.INSTANCE, webhook.instance());
                    RecordHeaders.put(headers, RecordHeaders.EVENT, webhook.event());
                    RecordHeaders.put(headers, RecordHeaders.RECEIVED_AT, Long.toString(receivedAtMillis));
                    RecordHeaders.put(headers, RecordHeaders.CORRELATION_ID, correlationId);
                    long bytes = recordBytes(empresaId, record.value(), correlationId);
                    return Topics.WEBHOOKS.fits(bytes) ? Sends.send(producer, record)
                            : CompletableFuture.<RecordMetadata>failedFuture(new TooLargeException(bytes));
                })
                .<Void>thenApply(metadata -> null)
                .orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        cause(e) instanceof TooLargeException tooLarge ? tooLarge : notAcknowledged(e)));
    }

    private static Throwable cause(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    /** The webhook's bytes; the serde marks {@code headers} with the contract's version. */
    private static byte[] serialize(EvolutionWebhook webhook, Headers headers) {
        return Topics.WEBHOOKS.valueSerde().serializer().serialize(Topics.WEBHOOKS.name(), headers, webhook);
    }

    /** Key, value and headers: the instance and event are within the value's size, the rest is small and known. */
    private static long recordBytes(String empresaId, byte[] value, String correlationId) {
        return (long) value.length + 2L * empresaId.length() + correlationId.length() + HEADER_BYTES;
    }

    private CompletableFuture<MediaReference> writeMedia(String empresaId, InlineMedia media, String correlationId) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA.name(), empresaId, media.bytes());
        RecordHeaders.put(record.headers(), RecordHeaders.EMPRESA_ID, empresaId);
        RecordHeaders.put(record.headers(), RecordHeaders.CORRELATION_ID, correlationId);
        // raw bytes, so no serde marks them: the version is of the topic's contract (bytes plus these headers)
        RecordHeaders.putSchemaVersion(record.headers());
        return Sends.send(producer, record).thenApply(m -> new MediaReference(Topics.MEDIA.name(), m.partition(),
                m.offset(), media.bytes().length, media.mimetype()));
    }

    private static EvolutionWebhook withReference(EvolutionWebhook webhook, MediaReference reference) {
        ((ObjectNode) webhook.data().get("message")).set(MediaReference.FIELD, Json.MAPPER.valueToTree(reference));
        return webhook;
    }

    private NotAcknowledgedException notAcknowledged(Throwable error) {
        Throwable cause = cause(error);
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
