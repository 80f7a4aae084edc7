package dev.chatcentral.processor.presence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.dlq.DeadLetterMetrics;
import dev.chatcentral.processor.dlq.DeadLetterPublisher;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.processor.streams.StreamsClient;
import dev.chatcentral.processor.streams.StreamsLifecycle;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.topic.TopicCatalogProperties;

/**
 * Runs the presence topology as a Kafka Streams client of its own, exactly-once, beside the conversas' one: its
 * own application id, consumer group, state directory ({@code <state-dir>/presence}) and threads, so a failure or
 * a rebalance of one leaves the other running.
 */
@Component
@ConditionalOnBooleanProperty(name = "chatcentral.processor.presence.enabled", matchIfMissing = true)
public class PresenceStreamsRunner extends StreamsLifecycle {

    public PresenceStreamsRunner(KafkaProperties kafkaProperties, ProcessorProperties processor,
                                 PresenceProperties properties, TopicCatalogProperties catalog,
                                 DeadLetterMetrics deadLetters, DeadLetterPublisher publisher,
                                 EphemeralEvents ephemeral, MeterRegistry meterRegistry) {
        super(client(kafkaProperties, processor, properties, catalog, deadLetters, publisher, ephemeral,
                meterRegistry, new PoisonRecords()));
    }

    /** @param poison the marks the exception handlers leave, shared with the topology that reads them */
    private static StreamsClient client(KafkaProperties kafkaProperties, ProcessorProperties processor,
                                        PresenceProperties properties, TopicCatalogProperties catalog,
                                        DeadLetterMetrics deadLetters, DeadLetterPublisher publisher,
                                        EphemeralEvents ephemeral, MeterRegistry meterRegistry,
                                        PoisonRecords poison) {
        Counter rejected = Counter.builder("chatcentral.processor.presence.rejected")
                .description("Malformed heartbeats dropped by the presence topology")
                .tag("topic", Topics.NODE_HEARTBEATS.name())
                .register(meterRegistry);
        return new StreamsClient("presence",
                () -> PresenceTopology.build(PresenceSettings.from(properties, (topic, reason) -> rejected.increment(),
                        processor.dlqEnabled(), deadLetters, poison), ephemeral),
                StreamsClient.exactlyOnceConfig(kafkaProperties, properties.applicationId(),
                        processor.stateDir().resolve("presence"), properties.numStreamThreads(),
                        properties.commitInterval(), catalog.replicationFactor(),
                        PresenceTopology.LARGEST_RECORD_BYTES,
                        new DeadLetterRouting(DeadLetterStage.PRESENCE, poison, publisher, deadLetters)),
                poison, meterRegistry);
    }
}
