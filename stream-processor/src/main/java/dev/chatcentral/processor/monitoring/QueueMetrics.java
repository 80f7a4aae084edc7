package dev.chatcentral.processor.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.topology.WebhookOutcome;
import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.MetricsSample.Gauges;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.MetricsSampleWriter;

/**
 * The seed's queue metrics on Micrometer ({@code /actuator/prometheus}), for the topology (stage {@code streams})
 * and the PostgreSQL sink (stage {@code sink}):
 * <ul>
 *   <li>{@code chatcentral_queue_size{group,topic}}: consumer lag, records not yet consumed, read from the broker
 *       every refresh interval for the streams application and the sink group;</li>
 *   <li>{@code chatcentral_queue_processed_per_minute{stage}}: webhooks handled (any outcome) and records
 *       written to PostgreSQL over the last minute;</li>
 *   <li>{@code chatcentral_queue_error_rate}: percent of the last minute's webhooks given up on (DLQ, or
 *       dropped when the DLQ is disabled);</li>
 *   <li>{@code chatcentral_queue_retries_total{stage}}: webhooks parked for a later attempt (first park and
 *       failed retries), and sink batches PostgreSQL refused;</li>
 *   <li>{@code chatcentral_queue_dead_letters_total}: webhooks sent to the DLQ.</li>
 * </ul>
 * The streams figures are sums of the outcome counters the topology reports
 * ({@code chatcentral_processor_webhooks_total{outcome}}).
 *
 * <p>At each refresh the same figures, with the records {@code chat.dlq} holds, go to {@code chat.metrics} as this
 * node's {@link MetricsSample}: the gateway draws the console's queue page from them, over every processor node.
 */
@Component
public class QueueMetrics implements SmartLifecycle {

    static final String WEBHOOK_OUTCOMES = "chatcentral.processor.webhooks";
    static final String SINK_RECORDS = "chatcentral.processor.sink.records";
    static final String SINK_RETRIES = "chatcentral.processor.sink.retries";
    /** A record parked for a later attempt: the topology's retries. */
    static final Set<WebhookOutcome> RETRIES = EnumSet.of(WebhookOutcome.PARKED, WebhookOutcome.RETRY_PARKED);
    /** A record given up on: the error rate counts it. */
    static final Set<WebhookOutcome> FAILURES = EnumSet.of(WebhookOutcome.DEAD_LETTERED, WebhookOutcome.DISCARDED);

    private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaProperties kafkaProperties;
    private final String nodeId;
    private final MonitoringProperties properties;
    private final MeterRegistry registry;
    private final List<String> groups;
    private final int dlqPartitions;
    private final MultiGauge queueSize;
    private final PerMinuteRate handled = new PerMinuteRate();
    private final PerMinuteRate failed = new PerMinuteRate();
    private final PerMinuteRate written = new PerMinuteRate();
    private volatile Map<String, Map<String, Long>> lag = Map.of();
    private volatile boolean lagFailing;
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private MetricsSampleWriter samples;

    public QueueMetrics(KafkaProperties kafkaProperties, ProcessorProperties processor,
                        MonitoringProperties properties, MeterRegistry registry,
                        @Value("${chatcentral.node-id}") String nodeId, TopicCatalog catalog) {
        this.kafkaProperties = kafkaProperties;
        this.dlqPartitions = catalog.partitions(Topics.DLQ);
        this.nodeId = nodeId;
        this.properties = properties;
        this.registry = registry;
        this.groups = List.of(processor.applicationId(), processor.sink().groupId());
        this.queueSize = MultiGauge.builder("chatcentral.queue.size")
                .description("Records not yet consumed by a consumer group, per topic (consumer lag)")
                .register(registry);
        Gauge.builder("chatcentral.queue.processed.per.minute", handled, PerMinuteRate::perMinute)
                .description("Records handled over the last minute").tag("stage", "streams").register(registry);
        Gauge.builder("chatcentral.queue.processed.per.minute", written, PerMinuteRate::perMinute)
                .description("Records handled over the last minute").tag("stage", "sink").register(registry);
        Gauge.builder("chatcentral.queue.error.rate", this, QueueMetrics::errorRate)
                .description("Percent of the last minute's webhooks given up on").register(registry);
        FunctionCounter.builder("chatcentral.queue.retries", this, m -> m.outcomes(RETRIES))
                .description("Attempts that failed and will be made again").tag("stage", "streams")
                .register(registry);
        FunctionCounter.builder("chatcentral.queue.retries", this, m -> m.total(SINK_RETRIES))
                .description("Attempts that failed and will be made again").tag("stage", "sink")
                .register(registry);
        FunctionCounter.builder("chatcentral.queue.dead.letters", this,
                        m -> m.outcomes(EnumSet.of(WebhookOutcome.DEAD_LETTERED)))
                .description("Webhooks sent to the DLQ").register(registry);
    }

    /** Lag by topic of one consumer group as last read, empty before the first read or for an unknown group. */
    public Map<String, Long> lag(String group) {
        return lag.getOrDefault(group, Map.of());
    }

    void refresh() {
        long now = System.nanoTime();
        handled.sample(now, outcomes(EnumSet.allOf(WebhookOutcome.class)));
        failed.sample(now, outcomes(FAILURES));
        written.sample(now, total(SINK_RECORDS));
        try {
            Map<String, Map<String, Long>> read = new ConsumerLag(admin).read(groups);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            read.forEach((group, byTopic) -> byTopic.forEach((topic, records) ->
                    rows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", topic), records))));
            queueSize.register(rows, true);
            lag = read;
            if (lagFailing) {
                log.info("consumer lag readable again");
                lagFailing = false;
            }
            publish(read, new ConsumerLag(admin).held(Topics.DLQ.name(), dlqPartitions));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the gauges keep their last values; one line per outage rather than one per refresh
            if (!lagFailing) {
                log.warn("cannot read consumer lag from the broker: {}", e.toString());
                lagFailing = true;
            }
        }
    }

    /** This node's figures to {@code chat.metrics}; a sample not written is skipped: the next replaces it. */
    private void publish(Map<String, Map<String, Long>> lagByGroup, long dlqSize) {
        Map<String, Double> gauges = new HashMap<>();
        lagByGroup.values().forEach(byTopic -> byTopic.forEach((topic, records) ->
                gauges.merge(Gauges.QUEUE_SIZE_OF + topic, records.doubleValue(), Double::sum)));
        gauges.put(Gauges.QUEUE_SIZE, gauges.values().stream().mapToDouble(Double::doubleValue).sum());
        gauges.put(Gauges.HANDLED_PER_MINUTE, handled.perMinute());
        gauges.put(Gauges.FAILED_PER_MINUTE, failed.perMinute());
        gauges.put(Gauges.WRITTEN_PER_MINUTE, written.perMinute());
        gauges.put(Gauges.DLQ_SIZE, (double) dlqSize);
        MetricsSample sample = new MetricsSample(MetricsSample.PROCESSOR, nodeId, Instant.now(), gauges);
        samples.write(sample);
    }

    private double errorRate() {
        double all = handled.perMinute();
        return all <= 0 ? 0 : 100 * failed.perMinute() / all;
    }

    /** The sum of the topology's outcome counters (tagged with the outcome's lower-case name) for these outcomes. */
    private double outcomes(Set<WebhookOutcome> outcomes) {
        Set<String> tags = outcomes.stream().map(o -> o.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return registry.find(WEBHOOK_OUTCOMES).counters().stream()
                .filter(c -> tags.contains(c.getId().getTag("outcome")))
                .mapToDouble(Counter::count).sum();
    }

    private double total(String counter) {
        return registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public synchronized void start() {
        admin = Admin.create(kafkaProperties.buildAdminProperties());
        samples = new MetricsSampleWriter(kafkaProperties.buildProducerProperties(), "queue-metrics-" + nodeId,
                properties.refreshInterval());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "queue-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            admin.close(CLOSE_TIMEOUT);
            samples.close();
            scheduler = null;
            admin = null;
            samples = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
