package dev.chatcentral.bench.peers.pgqueue;

import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * Peer A's knobs, under the original design's own names where it has them (QUEUE_BATCH_SIZE,
 * QUEUE_PROCESSING_INTERVAL, MAX_RETRY_ATTEMPTS); the values and why are in bench/peers/README.md.
 *
 * @param jdbcUrl          the peer's own database (never one of chat-central's)
 * @param workers          queue workers, each with its own connection
 * @param batchSize        rows a worker claims per transaction
 * @param idleInterval     how long an idle worker sleeps unless a NOTIFY on insert wakes it first
 * @param maxAttempts      attempts before a row goes to the dead-letter table
 * @param retryBase        the first retry's delay; each further one doubles it
 * @param webhookPoolSize  connections for the webhook INSERTs (and reading back large event bodies)
 * @param webhookSynchronousCommit the webhook INSERT's synchronous_commit: when its 200 is sent
 * @param maxBodyBytes     a webhook body over this is refused with 413
 * @param adminToken       the Bearer token of the admin API that issues webhook secrets
 */
record PeerSettings(String jdbcUrl, String user, int workers, int batchSize, Duration idleInterval, int maxAttempts,
                    Duration retryBase, int webhookPoolSize, String webhookSynchronousCommit, long maxBodyBytes,
                    String adminToken) {

    static PeerSettings from(Environment env) {
        PeerSettings settings = new PeerSettings(
                env.getProperty("PEER_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/peer_pgqueue"),
                env.getProperty("PEER_JDBC_USER", "postgres"),
                env.getProperty("QUEUE_WORKERS", Integer.class, 4),
                env.getProperty("QUEUE_BATCH_SIZE", Integer.class, 10),
                Duration.ofMillis(env.getProperty("QUEUE_PROCESSING_INTERVAL", Long.class, 1000L)),
                env.getProperty("MAX_RETRY_ATTEMPTS", Integer.class, 3),
                Duration.ofMillis(env.getProperty("QUEUE_RETRY_BASE_MS", Long.class, 1000L)),
                env.getProperty("PEER_WEBHOOK_POOL_SIZE", Integer.class, 16),
                env.getProperty("PEER_WEBHOOK_SYNCHRONOUS_COMMIT", "on"),
                env.getProperty("PEER_MAX_BODY_BYTES", Long.class, 16L * 1024 * 1024),
                env.getProperty("ADMIN_API_TOKEN", "dev-admin-token"));
        if (settings.workers < 1 || settings.batchSize < 1 || settings.maxAttempts < 1
                || settings.webhookPoolSize < 1 || settings.maxBodyBytes < 1
                || settings.idleInterval.isNegative() || settings.retryBase.isNegative()
                || !settings.webhookSynchronousCommit.matches("on|off|local|remote_write|remote_apply")) {
            throw new IllegalArgumentException("peer settings out of range: " + settings);
        }
        return settings;
    }
}
