package dev.chatcentral.processor.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.service.topic.TopicCatalogAutoConfiguration.TopicCatalogProvisioned;
import dev.chatcentral.service.topic.TopicCatalogProperties;
import dev.chatcentral.processor.topology.ConversaTopology;
import dev.chatcentral.processor.topology.TopologySettings;

/** Starts the topology with the context, exactly-once, and closes it cleanly when the context stops. */
@Component
public class StreamsRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProperties kafkaProperties;
    private final ProcessorProperties properties;
    private final TopicCatalogProperties catalog;
    private final WebhookOutcomeCounter outcomes;
    private final MeterRegistry meterRegistry;
    private final AtomicReference<Throwable> fatalError = new AtomicReference<>();
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics metrics;

    /** Takes the provisioning bean so the topics exist before the topology subscribes to them. */
    public StreamsRunner(KafkaProperties kafkaProperties, ProcessorProperties properties,
                         TopicCatalogProperties catalog, TopicCatalogProvisioned topics,
                         WebhookOutcomeCounter outcomes, MeterRegistry meterRegistry) {
        this.kafkaProperties = kafkaProperties;
        this.properties = properties;
        this.catalog = catalog;
        this.outcomes = outcomes;
        this.meterRegistry = meterRegistry;
    }

    @Override
    public synchronized void start() {
        TopologySettings settings = new TopologySettings(
                properties.dedupeWindow(), properties.dedupePurgeInterval(), outcomes);
        KafkaStreams created = new KafkaStreams(ConversaTopology.build(settings), streamsConfig());
        created.setUncaughtExceptionHandler(e -> {
            // processing errors go to the DLQ; what gets here is broken infrastructure, shown by the health check
            log.error("stream thread died; shutting Kafka Streams down", e);
            fatalError.set(e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((newState, oldState) -> log.info("Kafka Streams {} -> {}", oldState, newState));
        metrics = new KafkaStreamsMetrics(created);
        metrics.bindTo(meterRegistry);
        created.start();
        streams = created;
    }

    private Properties streamsConfig() {
        Properties config = new Properties();
        config.putAll(kafkaProperties.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir().toAbsolutePath().toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.numStreamThreads());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) catalog.replicationFactor());
        return config;
    }

    @Override
    public synchronized void stop() {
        if (streams != null) {
            streams.close(CLOSE_TIMEOUT);
            metrics.close();
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The current state, or null before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    /** What killed the stream threads, if anything did. */
    public Throwable fatalError() {
        return fatalError.get();
    }
}
