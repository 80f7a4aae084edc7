package dev.chatcentral.gateway.node;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.OutageLog;
import dev.chatcentral.service.kafka.Sends;

/**
 * Tells the presence topology this node is alive: a {@link NodeHeartbeat} on {@code chat.gateway.heartbeats} (key =
 * node id) at start and every heartbeat interval, and a tombstone when the node stops cleanly. The sessions a node
 * reported expire when its heartbeats stop, or when a heartbeat carries a later {@link #bootEpoch()} (a restart).
 *
 * <p>When heartbeats could not be written for a while, the presence topology may have expired this node's sessions
 * although they are still open: whoever reported them registers {@link #onRecovered} to report them again.
 */
@Component
public class NodeHeartbeats implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeats.class);
    /** Stops after the sessions were closed and their signals flushed, so the tombstone is the node's last word. */
    public static final int PHASE = Integer.MAX_VALUE - 2;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final GatewayNode node;
    private final long bootEpoch = System.currentTimeMillis();
    private final KafkaProducer<String, NodeHeartbeat> producer;
    private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
    private final OutageLog outage;
    private ScheduledExecutorService timer;
    private volatile boolean running;

    public NodeHeartbeats(KafkaProperties kafka, GatewayNode node) {
        this.node = node;
        this.outage = new OutageLog(log, "the heartbeat of node " + node.id());
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-heartbeats-" + node.id());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a heartbeat that cannot be written within two intervals is worthless: the next one replaces it
        long interval = node.heartbeatInterval().toMillis();
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, interval));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(2_000, 2 * interval));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.max(1_000, interval));
        this.producer = new KafkaProducer<>(config, Topics.NODE_HEARTBEATS.keySerde().serializer(),
                Topics.NODE_HEARTBEATS.valueSerde().serializer());
    }

    /** When this run of the node started, in epoch ms; every {@code session_opened} of this run carries it. */
    public long bootEpoch() {
        return bootEpoch;
    }

    /** Runs {@code listener} each time a heartbeat is written after one or more that failed. */
    public void onRecovered(Runnable listener) {
        recoveryListeners.add(listener);
    }

    @Override
    public void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "node-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
        long interval = node.heartbeatInterval().toMillis();
        executor.scheduleAtFixedRate(this::beat, 0, interval, TimeUnit.MILLISECONDS);
        timer = executor;
        running = true;
        log.info("node {} (boot epoch {}) sends a heartbeat every {}", node.id(), bootEpoch,
                node.heartbeatInterval());
    }

    private void beat() {
        NodeHeartbeat heartbeat = new NodeHeartbeat(node.id(), bootEpoch, Instant.now());
        Sends.send(producer, new ProducerRecord<>(Topics.NODE_HEARTBEATS.name(), node.id(), heartbeat))
                .whenComplete((metadata, e) -> written(e));
    }

    private void written(Throwable e) {
        if (outage.record(e)) {
            for (Runnable listener : recoveryListeners) {
                try {
                    listener.run();
                } catch (RuntimeException failure) {
                    log.warn("heartbeat recovery listener failed", failure);
                }
            }
        }
    }

    /** Stops the heartbeats and writes the tombstone, so presence drops this node at once instead of timing out. */
    @Override
    public void stop() {
        running = false;
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        try {
            producer.send(new ProducerRecord<>(Topics.NODE_HEARTBEATS.name(), node.id(), null));
        } catch (RuntimeException e) {
            log.warn("tombstone of node {} not written: {}", node.id(), e.getMessage());
        }
        producer.close(CLOSE_TIMEOUT);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
