package dev.chatcentral.processor.streams;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.dlq.DeadLetterMetrics;
import dev.chatcentral.processor.dlq.DeadLetterPublisher;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.topology.ConversaTopology;
import dev.chatcentral.processor.topology.TopologySettings;
import dev.chatcentral.service.topic.TopicCatalogAutoConfiguration.TopicCatalogProvisioned;
import dev.chatcentral.service.topic.TopicCatalogProperties;

/** Runs the conversa topology with the context, exactly-once. */
@Component
public class StreamsRunner implements SmartLifecycle {

    private final StreamsClient client;

    /** Takes the provisioning bean so the topics exist before the topology subscribes to them. */
    public StreamsRunner(KafkaProperties kafkaProperties, ProcessorProperties properties,
                         TopicCatalogProperties catalog, TopicCatalogProvisioned topics,
                         WebhookOutcomeCounter outcomes, DeadLetterMetrics deadLetters,
                         DeadLetterPublisher publisher, MeterRegistry meterRegistry) {
        PoisonRecords poison = new PoisonRecords();
        this.client = new StreamsClient("conversa",
                () -> ConversaTopology.build(TopologySettings.from(properties, outcomes, deadLetters, poison)),
                StreamsClient.exactlyOnceConfig(kafkaProperties, properties.applicationId(), properties.stateDir(),
                        properties.numStreamThreads(), properties.commitInterval(), catalog.replicationFactor(),
                        ConversaTopology.LARGEST_RECORD_BYTES,
                        new DeadLetterRouting(DeadLetterStage.CONVERSA, poison, publisher, deadLetters)),
                poison, meterRegistry);
    }

    @Override
    public void start() {
        client.start();
    }

    @Override
    public void stop() {
        client.stop();
    }

    @Override
    public boolean isRunning() {
        return client.isRunning();
    }

    public StreamsClient client() {
        return client;
    }
}
