package dev.chatcentral.analytics.streams;

import java.time.Duration;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.analytics.AnalyticsProperties;
import dev.chatcentral.analytics.topology.AnalyticsSettings;
import dev.chatcentral.analytics.topology.AnalyticsTopology;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.streams.ExactlyOnceStreams;
import dev.chatcentral.service.topic.TopicCatalogProperties;

/**
 * Runs the analytics topology with the context, exactly-once, and is its health ({@code analyticsStreams}): UP while
 * running or rebalancing, DOWN once a stream thread died, which stops the client for an orchestrator to restart.
 */
@Component("analyticsStreams")
public class AnalyticsStreams implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Properties config;
    private final AnalyticsSettings settings;
    private final MeterRegistry meterRegistry;
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics metrics;
    private volatile Throwable fatal;

    public AnalyticsStreams(KafkaProperties kafka, AnalyticsProperties properties, TopicCatalogProperties catalog,
                            ServiceMetricsGauges gauges, MeterRegistry meterRegistry) {
        this.config = config(kafka, properties, catalog.replicationFactor());
        this.settings = new AnalyticsSettings(properties.publishInterval(), properties.grace(),
                properties.maxClockSkew(), properties.dedupeRetention(), properties.sla().targets(),
                AnalyticsTopology.MAX_RECORD_BYTES, gauges);
        this.meterRegistry = meterRegistry;
    }

    static Properties config(KafkaProperties kafka, AnalyticsProperties properties, short replicationFactor) {
        Properties config = ExactlyOnceStreams.config(kafka, properties.applicationId(), properties.stateDir(),
                properties.numStreamThreads(), properties.commitInterval(), replicationFactor,
                Topics.SERVICE_METRICS.maxMessageBytes());
        // the tap writes nothing but chat.service.metrics, so it has no DLQ: values reach the topology as bytes and
        // the tracker drops malformed ones with a metric; these handlers drop whatever still fails, per record,
        // rather than stop every empresa's figures for one record
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        return config;
    }

    @Override
    public synchronized void start() {
        KafkaStreams created = new KafkaStreams(AnalyticsTopology.build(settings), config);
        created.setUncaughtExceptionHandler(e -> {
            log.error("analytics stream thread died; shutting its Kafka Streams client down", e);
            fatal = e;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        created.setStateListener((newState, oldState) -> log.info("analytics Kafka Streams {} -> {}", oldState,
                newState));
        metrics = new KafkaStreamsMetrics(created);
        metrics.bindTo(meterRegistry);
        created.start();
        streams = created;
    }

    @Override
    public synchronized void stop() {
        if (streams != null) {
            streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
            metrics.close();
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public Health health() {
        return ExactlyOnceStreams.health(streams, fatal);
    }
}
