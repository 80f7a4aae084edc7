package dev.chatcentral.processor.ephemeral;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.service.kafka.EphemeralWriter;

/**
 * The processor's fast lane: one {@link EphemeralWriter} shared by the stream threads of both topologies, for the
 * customers' typing and the typing stops only the processor can decide (expiry, a last session ending, a dead node).
 */
@Component
public class EphemeralProducer implements EphemeralEvents, DisposableBean {

    private final EphemeralWriter writer;

    public EphemeralProducer(KafkaProperties kafkaProperties, MeterRegistry meterRegistry) {
        this.writer = new EphemeralWriter(kafkaProperties.buildProducerProperties(), "processor", meterRegistry);
    }

    @Override
    public void publish(RealtimeEvent event, long timestamp) {
        writer.publish(event, timestamp);
    }

    @Override
    public void destroy() {
        writer.close();
    }
}
