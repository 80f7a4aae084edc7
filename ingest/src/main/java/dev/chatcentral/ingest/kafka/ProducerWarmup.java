package dev.chatcentral.ingest.kafka;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;

/**
 * Warms the webhook producer up before the web server opens ({@link WebhookPublisher#warmUp}), so a restarted node
 * under load does not answer its first webhooks 503 while its producer fetches metadata and its id. If the broker
 * does not answer within the warm-up timeout, the server opens anyway, not ready, and the warm-up goes on in the
 * background. Also {@code /actuator/health} component {@code webhookProducer}, in the readiness group.
 */
@Component("webhookProducer")
public class ProducerWarmup implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(ProducerWarmup.class);
    private static final Duration RETRY = Duration.ofSeconds(2);
    /** Before the web server's own lifecycle, which starts listening. */
    private static final int PHASE = Integer.MAX_VALUE - 4096;

    private final WebhookPublisher publisher;
    private final String nodeId;
    private final Duration timeout;
    private volatile boolean warm;
    private volatile String lastError = "not tried yet";
    private volatile boolean running;
    private ScheduledExecutorService retries;

    public ProducerWarmup(WebhookPublisher publisher, IngestProperties properties) {
        this.publisher = publisher;
        this.nodeId = properties.nodeId().isBlank() ? "ingest-" + UUID.randomUUID().toString().substring(0, 8)
                : properties.nodeId();
        this.timeout = properties.warmupTimeout();
    }

    @Override
    public void start() {
        running = true;
        if (!tryOnce(timeout)) {
            log.warn("the webhook producer is not warm after {} ({}); opening not ready, retrying every {}", timeout,
                    lastError, RETRY);
            retries = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "ingest-warmup");
                thread.setDaemon(true);
                return thread;
            });
            retries.scheduleWithFixedDelay(() -> {
                if (tryOnce(RETRY) || !running) {
                    retries.shutdown();
                }
            }, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean tryOnce(Duration within) {
        long started = System.nanoTime();
        try {
            publisher.warmUp(nodeId, within);
            warm = true;
            log.info("webhook producer warm in {} ms (node {})", (System.nanoTime() - started) / 1_000_000, nodeId);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastError = "interrupted";
            return false;
        } catch (Exception e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            return false;
        }
    }

    @Override
    public Health health() {
        return warm ? Health.up().withDetail("node", nodeId).build()
                : Health.down().withDetail("node", nodeId).withDetail("error", lastError).build();
    }

    @Override
    public void stop() {
        running = false;
        if (retries != null) {
            retries.shutdownNow();
        }
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
