package dev.chatcentral.processor.streams;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.dlq.DeadLetterMetrics;
import dev.chatcentral.processor.dlq.DeadLetterPublisher;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.processor.instance.SilenceMetrics;
import dev.chatcentral.processor.topology.ConversaTopology;
import dev.chatcentral.processor.topology.TopologySettings;
import dev.chatcentral.service.topic.TopicCatalogProperties;

/** Runs the conversa topology with the context, exactly-once. */
@Component
public class StreamsRunner extends StreamsLifecycle {

    public StreamsRunner(KafkaProperties kafkaProperties, ProcessorProperties properties,
                         TopicCatalogProperties catalog, WebhookOutcomeCounter outcomes,
                         DeadLetterMetrics deadLetters, DeadLetterPublisher publisher, SilenceMetrics silences,
                         EphemeralEvents ephemeral, MeterRegistry meterRegistry) {
        super(client(kafkaProperties, properties, catalog, outcomes, deadLetters, publisher, silences, ephemeral,
                meterRegistry, new PoisonRecords()));
    }

    /** @param poison the marks the exception handlers leave, shared with the topology that reads them */
    private static StreamsClient client(KafkaProperties kafkaProperties, ProcessorProperties properties,
                                        TopicCatalogProperties catalog, WebhookOutcomeCounter outcomes,
                                        DeadLetterMetrics deadLetters, DeadLetterPublisher publisher,
                                        SilenceMetrics silences, EphemeralEvents ephemeral,
                                        MeterRegistry meterRegistry, PoisonRecords poison) {
        return new StreamsClient("conversa",
                () -> ConversaTopology.build(TopologySettings.from(properties, outcomes, deadLetters, poison,
                        silences), ephemeral),
                StreamsClient.exactlyOnceConfig(kafkaProperties, properties.applicationId(), properties.stateDir(),
                        properties.numStreamThreads(), properties.commitInterval(), catalog.replicationFactor(),
                        ConversaTopology.LARGEST_RECORD_BYTES,
                        new DeadLetterRouting(DeadLetterStage.CONVERSA, poison, publisher, deadLetters)),
                poison, meterRegistry);
    }
}
