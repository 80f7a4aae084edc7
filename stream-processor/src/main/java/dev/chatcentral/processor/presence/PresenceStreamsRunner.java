package dev.chatcentral.processor.presence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.dlq.DeadLetterMetrics;
import dev.chatcentral.processor.dlq.DeadLetterPublisher;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.streams.StreamsClient;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.topic.TopicCatalogAutoConfiguration.TopicCatalogProvisioned;
import dev.chatcentral.service.topic.TopicCatalogProperties;

/**
 * Runs the presence topology as a Kafka Streams client of its own, exactly-once, beside the conversas' one: its
 * own application id, consumer group, state directory ({@code <state-dir>/presence}) and threads, so a failure or
 * a rebalance of one leaves the other running.
 */
@Component
@ConditionalOnBooleanProperty(name = "chatcentral.processor.presence.enabled", matchIfMissing = true)
public class PresenceStreamsRunner implements SmartLifecycle {

    private final StreamsClient client;

    /** Takes the provisioning bean so the topics exist before the topology subscribes to them. */
    public PresenceStreamsRunner(KafkaProperties kafkaProperties, ProcessorProperties processor,
                                 PresenceProperties properties, TopicCatalogProperties catalog,
                                 TopicCatalogProvisioned topics, DeadLetterMetrics deadLetters,
                                 DeadLetterPublisher publisher, MeterRegistry meterRegistry) {
        Counter rejected = Counter.builder("chatcentral.processor.presence.rejected")
                .description("Malformed heartbeats dropped by the presence topology")
                .tag("topic", Topics.NODE_HEARTBEATS.name())
                .register(meterRegistry);
        PoisonRecords poison = new PoisonRecords();
        this.client = new StreamsClient("presence",
                () -> PresenceTopology.build(PresenceSettings.from(properties, (topic, reason) -> rejected.increment(),
                        processor.dlqEnabled(), deadLetters, poison)),
                StreamsClient.exactlyOnceConfig(kafkaProperties, properties.applicationId(),
                        processor.stateDir().resolve("presence"), properties.numStreamThreads(),
                        properties.commitInterval(), catalog.replicationFactor(),
                        PresenceTopology.LARGEST_RECORD_BYTES,
                        new DeadLetterRouting(DeadLetterStage.PRESENCE, poison, publisher, deadLetters)),
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
