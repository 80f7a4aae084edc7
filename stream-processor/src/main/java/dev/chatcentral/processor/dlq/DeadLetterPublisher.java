package dev.chatcentral.processor.dlq;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.topic.Topics;

/**
 * Writes dead letters from outside a Kafka Streams transaction (the PostgreSQL sink, and the exception handlers
 * that cannot add to one), waiting for the broker's acknowledgement: a caller moves past a record only once its
 * dead letter is safe. Idempotent and acks=all, like every producer of chat-central.
 */
@Component
public class DeadLetterPublisher implements DisposableBean {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;

    public DeadLetterPublisher(KafkaProperties kafkaProperties) {
        Map<String, Object> config = kafkaProperties.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.maxRequestBytes(Topics.DLQ.maxMessageBytes()));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "chat-central-dlq");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes one dead letter to {@code chat.dlq} and waits until it is acknowledged.
     *
     * @throws DeadLetterNotWrittenException when Kafka did not take it; the caller must not move past its record
     */
    public void publish(ProducerRecord<byte[], byte[]> deadLetter) {
        try {
            producer.send(deadLetter).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterNotWrittenException("interrupted while writing a dead letter", e);
        } catch (ExecutionException e) {
            throw new DeadLetterNotWrittenException("Kafka refused a dead letter: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new DeadLetterNotWrittenException("Kafka did not acknowledge a dead letter within "
                    + ACK_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** A dead letter could not be written: the record it carries must be retried, not passed over. */
    public static class DeadLetterNotWrittenException extends RuntimeException {
        DeadLetterNotWrittenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
