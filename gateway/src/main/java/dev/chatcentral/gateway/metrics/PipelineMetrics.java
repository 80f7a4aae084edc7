package dev.chatcentral.gateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.presence.PresenceCache;
import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.MetricsSample.Gauges;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;
import dev.chatcentral.service.kafka.MetricsSampleWriter;

/**
 * The queue figures of the console's monitoring page. Every refresh interval this node writes its connection count
 * to {@code chat.metrics} and samples the online atendentes of the empresas being watched; a reader keeps every
 * node's samples of the last hour (the processors' lag, rates and DLQ size among them), read back from the topic
 * when the node starts, so a fresh node draws the same trends as one that has run for hours. A record that is not
 * a sample is skipped: figures are advisory, and the node's next sample follows.
 */
@Component
public class PipelineMetrics implements SmartLifecycle {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final MetricsProperties properties;
    private final GatewayNode node;
    private final Sessions sessions;
    private final PresenceCache presence;
    private final AssignedReader<String, MetricsSample> reader;
    private final Map<String, Object> producerConfig;
    private final PipelineHistory pipeline;
    private final OnlineHistory online;
    private volatile boolean running;
    private MetricsSampleWriter samples;
    private ScheduledExecutorService timer;

    public PipelineMetrics(KafkaProperties kafka, MetricsProperties properties, GatewayNode node, Sessions sessions,
                           PresenceCache presence) {
        this.properties = properties;
        this.node = node;
        this.sessions = sessions;
        this.presence = presence;
        this.pipeline = new PipelineHistory(properties.refreshInterval(), properties.history(), properties.maxNodes());
        this.online = new OnlineHistory(properties.history(), properties.maxEmpresas());
        // the topic keeps two hours: read whole, the history keeps what lies within its span
        this.reader = new AssignedReader<>(CommittedTopic.of(Topics.METRICS.name(), Topics.METRICS.keySerde(),
                Topics.METRICS.valueSerde(), kafka.buildConsumerProperties(), "gateway-metrics-" + node.id()),
                AssignedReader.Start.BEGINNING, POLL_TIMEOUT, CLOSE_TIMEOUT, "chat-metrics-reader",
                batch -> batch.records().forEach(record -> pipeline.add(record.value(), Instant.now())));
        this.producerConfig = kafka.buildProducerProperties();
    }

    /**
     * The deployment's queue figures now and over the history, with the empresa's online atendentes as this node
     * sampled them: asking starts the sampling, so the first report for an empresa has no online trend yet.
     */
    public QueueReport report(String empresaId, int onlineNow) {
        Instant now = Instant.now();
        return QueueReport.of(pipeline.figures(now), online.watch(empresaId, now), onlineNow,
                properties.refreshInterval());
    }

    @Override
    public synchronized void start() {
        samples = new MetricsSampleWriter(producerConfig, "gateway-metrics-" + node.id(),
                properties.refreshInterval());
        running = true;
        reader.start();
        reader.assign(0);
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "chat-metrics-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.refreshInterval().toMillis();
        timer.scheduleAtFixedRate(this::sample, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        timer.shutdownNow();
        reader.stop();
        samples.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void sample() {
        Instant now = Instant.now();
        MetricsSample own = new MetricsSample(MetricsSample.GATEWAY, node.id(), now,
                Map.of(Gauges.CONNECTIONS, (double) sessions.size()));
        samples.write(own);
        for (String empresaId : online.watched(now)) {
            presence.current(empresaId).whenComplete((snapshot, e) -> {
                if (snapshot != null) {
                    online.record(empresaId, new OnlineCount(now, snapshot.online().size()));
                }
            });
        }
    }
}
