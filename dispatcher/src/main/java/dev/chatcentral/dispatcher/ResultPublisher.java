package dev.chatcentral.dispatcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Writes results to {@code chat.outbound.results} (key = empresaId) and waits for the broker's acknowledgement, so a
 * reply's offset is committed only after its result is safe. A failure throws: the poll is then retried, and the
 * {@code outbound_attempt} row republishes the result without calling Evolution again.
 */
final class ResultPublisher implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, OutboundResult> producer;

    ResultPublisher(Map<String, Object> producerConfig) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, Topics.OUTBOUND_RESULTS.keySerde().serializer(),
                Topics.OUTBOUND_RESULTS.valueSerde().serializer());
    }

    void publish(OutboundResult result) {
        try {
            producer.send(new ProducerRecord<>(Topics.OUTBOUND_RESULTS.name(), result.empresaId(), result))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchInterruptedException("interrupted while publishing the result of command "
                    + result.commandId());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish the result of command " + result.commandId() + " to "
                    + Topics.OUTBOUND_RESULTS.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
