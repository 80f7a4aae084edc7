package dev.chatcentral.gateway.signal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.EphemeralWriter;
import dev.chatcentral.service.kafka.Sends;

/**
 * Publishes what clients report about themselves (typing, chosen presence status) and their sessions opening and
 * closing ({@link SessionSignals}) to {@code chat.signals}, keyed by empresaId so one empresa's signals keep their
 * order. Turning them into presence and typing events is the stream-processor's job.
 */
@Component
public class SignalPublisher implements DisposableBean {

    private final KafkaProducer<String, Signal> producer;
    private final GatewayNode node;

    public SignalPublisher(KafkaProperties kafka, GatewayNode node) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-signals-" + node.id());
        // signals are short-lived, but a few milliseconds cost them nothing and gather a busy node's into one
        // request, as on the fast lane
        config.put(ProducerConfig.LINGER_MS_CONFIG, EphemeralWriter.LINGER_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        this.producer = new KafkaProducer<>(config, Topics.SIGNALS.keySerde().serializer(),
                Topics.SIGNALS.valueSerde().serializer());
        this.node = node;
    }

    /**
     * @param type one of {@link Signal#TYPING_START}, {@link Signal#TYPING_STOP}, {@link Signal#STATUS_CHANGED}
     * @return completes when the broker acknowledged the signal, exceptionally when it could not be written
     */
    public CompletableFuture<Void> publish(String type, String sessionId, Agent agent, String conversaId,
                                           String status) {
        return publish(type, sessionId, agent, conversaId, status, Instant.now());
    }

    /** The same, for a report whose time is already set ({@link TypingLane} dates its fast-lane events with it). */
    public CompletableFuture<Void> publish(String type, String sessionId, Agent agent, String conversaId,
                                           String status, Instant ts) {
        // no boot epoch: only session_opened needs one, and that is SessionSignals' to send
        return publish(new Signal(type, node.id(), null, sessionId, agent.empresaId(), agent.userId(), agent.name(),
                conversaId, status, ts));
    }

    /**
     * Sends one signal, keyed by its empresa. Signals of one empresa are written in the order of the calls.
     *
     * @return completes when the broker acknowledged the signal, exceptionally when it could not be written
     */
    CompletableFuture<Void> publish(Signal signal) {
        return Sends.send(producer, new ProducerRecord<>(Topics.SIGNALS.name(), signal.empresaId(), signal))
                .thenApply(metadata -> null);
    }

    /** Waits until every signal sent so far is acknowledged or failed. */
    void flush() {
        producer.flush();
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
