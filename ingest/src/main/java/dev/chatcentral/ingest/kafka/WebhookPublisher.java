package dev.chatcentral.ingest.kafka;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Writes accepted webhooks to {@code chat.webhooks} and waits for the broker's acknowledgement: acks=all and an
 * idempotent producer, so an acknowledged webhook survives a broker failover and a producer retry never
 * duplicates it. Every wait is bounded by {@code ackTimeout}: with Kafka away the caller gets an answer in time
 * to tell Evolution to retry, instead of Evolution's own 30 s timeout.
 */
@Component
public class WebhookPublisher implements DisposableBean {

    private final KafkaProducer<String, EvolutionWebhook> producer;
    private final long ackTimeoutMillis;

    public WebhookPublisher(KafkaProperties kafkaProperties, IngestProperties properties) {
        this.ackTimeoutMillis = properties.ackTimeout().toMillis();
        Map<String, Object> config = kafkaProperties.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // bound every internal wait (metadata, buffer space, delivery) by the answer we owe the caller
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ackTimeoutMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, ackTimeoutMillis / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(2000, ackTimeoutMillis));
        this.producer = new KafkaProducer<>(config,
                Topics.WEBHOOKS.keySerde().serializer(), Topics.WEBHOOKS.valueSerde().serializer());
    }

    /** Thrown when the broker did not acknowledge the write in time: the webhook is not accepted. */
    public static class NotAcknowledgedException extends Exception {
        NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Returns once the broker acknowledged the webhook; the apikey must already be redacted. */
    public void publish(String empresaId, EvolutionWebhook webhook, String correlationId, long receivedAtMillis)
            throws NotAcknowledgedException {
        ProducerRecord<String, EvolutionWebhook> record =
                new ProducerRecord<>(Topics.WEBHOOKS.name(), empresaId, webhook);
        RecordHeaders.put(record.headers(), RecordHeaders.EMPRESA_ID, empresaId);
        RecordHeaders.put(record.headers(), RecordHeaders.INSTANCE, webhook.instance());
        RecordHeaders.put(record.headers(), RecordHeaders.EVENT, webhook.event());
        RecordHeaders.put(record.headers(), RecordHeaders.RECEIVED_AT, Long.toString(receivedAtMillis));
        RecordHeaders.put(record.headers(), RecordHeaders.CORRELATION_ID, correlationId);
        try {
            producer.send(record).get(ackTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcknowledgedException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new NotAcknowledgedException("Kafka refused the write: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new NotAcknowledgedException("Kafka did not acknowledge within " + ackTimeoutMillis + " ms", e);
        }
    }

    @Override
    public void destroy() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
