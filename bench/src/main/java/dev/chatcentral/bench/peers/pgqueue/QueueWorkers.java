package dev.chatcentral.bench.peers.pgqueue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The original design's queue processors: N threads, each claiming up to QUEUE_BATCH_SIZE due rows with
 * {@code FOR UPDATE SKIP LOCKED} in id order, handling them in one transaction (a savepoint per row, so one bad row
 * does not undo the others), deleting the finished rows, rescheduling the failed ones with exponential backoff or
 * moving them to the dead-letter table after MAX_RETRY_ATTEMPTS, and publishing the events with {@code pg_notify}
 * in the same transaction: the relay hears of a change exactly when it commits.
 *
 * <p>Only the first unfinished row of a lane (a conversa) is claimable, so a conversa's mensagens are stored and
 * announced in the order their webhooks were acknowledged, whichever worker handles them; a row waiting for a retry
 * holds its conversa back until it succeeds or is dead-lettered, and nothing else.
 */
final class QueueWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueWorkers.class);

    /** NOTIFY payloads must stay under 8000 bytes; a larger event's body is stored and its id sent instead. */
    static final int MAX_NOTIFY_BYTES = 7900;

    private static final String CLAIM = """
            SELECT q.id, q.empresa_id, q.payload::text, q.attempts, q.created_at
            FROM webhook_queue q
            WHERE q.next_attempt_at <= now()
              AND NOT EXISTS (SELECT 1 FROM webhook_queue e WHERE e.lane = q.lane AND e.id < q.id)
            ORDER BY q.id
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";
    private static final String FINISH = "DELETE FROM webhook_queue WHERE id = ANY (?)";
    private static final String RESCHEDULE = """
            UPDATE webhook_queue SET status = 'retrying', attempts = attempts + 1, last_error = ?,
                   next_attempt_at = now() + make_interval(secs => ?)
            WHERE id = ?""";
    private static final String DEAD_LETTER = """
            WITH dead AS (DELETE FROM webhook_queue WHERE id = ? RETURNING id, empresa_id, payload, created_at)
            INSERT INTO webhook_dead_letter (queue_id, empresa_id, payload, attempts, error, queued_at)
            SELECT id, empresa_id, payload, ?, ?, created_at FROM dead""";
    private static final String STORE_BODY = """
            INSERT INTO realtime_event_body (id, empresa_id, body) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING""";
    private static final String NOTIFY = "SELECT pg_notify('" + PgListener.EVENTS_CHANNEL + "', n) FROM unnest(?) n";
    private static final String FORGET_BODIES =
            "DELETE FROM realtime_event_body WHERE created_at < now() - interval '5 minutes'";

    private final DataSource database;
    private final PeerSettings settings;
    private final WebhookHandler handler = new WebhookHandler();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    QueueWorkers(DataSource database, PeerSettings settings) {
        this.database = database;
        this.settings = settings;
    }

    /** A webhook was queued (the NOTIFY on insert): idle workers claim now rather than at their next interval. */
    void wake() {
        wakeups.incrementAndGet();
        synchronized (wakeups) {
            wakeups.notifyAll();
        }
    }

    /** Rows handled and committed as finished since start: one per webhook unless a row were handled twice. */
    long handled() {
        return handled.get();
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < settings.workers(); i++) {
            boolean cleansUp = i == 0;
            Thread thread = new Thread(() -> work(cleansUp), "queue-worker-" + i);
            thread.start();
            threads.add(thread);
        }
    }

    @Override
    public void stop() {
        running = false;
        wake();
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One worker's loop; {@code cleansUp}: this one also deletes large event bodies the relay has read. */
    private void work(boolean cleansUp) {
        long lastCleanup = System.nanoTime();
        while (running) {
            long seen = wakeups.get();
            int claimed;
            try {
                claimed = runBatch();
                if (cleansUp && System.nanoTime() - lastCleanup > Duration.ofMinutes(1).toNanos()) {
                    forgetOldBodies();
                    lastCleanup = System.nanoTime();
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("queue batch failed, retried after {}", settings.idleInterval(), e);
                claimed = 0;
            }
            // a row claimed means there may be more behind it (the next of its conversa): claim again at once
            if (claimed == 0) {
                synchronized (wakeups) {
                    if (running && wakeups.get() == seen) {
                        try {
                            wakeups.wait(Math.max(1, settings.idleInterval().toMillis()));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    /** Claims, handles and commits one batch; how many rows it claimed. */
    private int runBatch() throws SQLException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> finished = new ArrayList<>();
                int claimed = handleBatch(c, finished);
                c.commit();
                handled.addAndGet(finished.size());
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int handleBatch(Connection c, List<Long> finished) throws SQLException {
        List<WebhookHandler.Claimed> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(CLAIM)) {
            p.setInt(1, settings.batchSize());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new WebhookHandler.Claimed(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4),
                            r.getTimestamp(5).toInstant()));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        List<WebhookHandler.Event> events = new ArrayList<>();
        for (WebhookHandler.Claimed row : rows) {
            Savepoint savepoint = c.setSavepoint();
            try {
                WebhookHandler.Event event = handler.handle(c, row);
                c.releaseSavepoint(savepoint);
                finished.add(row.id());
                if (event != null) {
                    events.add(event);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback(savepoint);
                fail(c, row, e);
            }
        }
        if (!finished.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement(FINISH)) {
                p.setArray(1, c.createArrayOf("bigint", finished.toArray()));
                p.executeUpdate();
            }
        }
        publish(c, events);
        return rows.size();
    }

    private void fail(Connection c, WebhookHandler.Claimed row, Exception e) throws SQLException {
        int attempts = row.attempts() + 1;
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (attempts >= settings.maxAttempts()) {
            log.warn("webhook {} of empresa {} dead-lettered after {} attempts: {}", row.id(), row.empresaId(),
                    attempts, error);
            try (PreparedStatement p = c.prepareStatement(DEAD_LETTER)) {
                p.setLong(1, row.id());
                p.setInt(2, attempts);
                p.setString(3, error);
                p.executeUpdate();
            }
            return;
        }
        double delaySeconds = settings.retryBase().toMillis() * Math.pow(2, attempts - 1) / 1000.0;
        try (PreparedStatement p = c.prepareStatement(RESCHEDULE)) {
            p.setString(1, error);
            p.setDouble(2, delaySeconds);
            p.setLong(3, row.id());
            p.executeUpdate();
        }
    }

    /** The batch's events as NOTIFYs of this transaction, one round trip for all; large bodies stored first. */
    private static void publish(Connection c, List<WebhookHandler.Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        List<String> payloads = new ArrayList<>(events.size());
        for (WebhookHandler.Event event : events) {
            String payload = event.empresaId() + "\n" + event.frame();
            if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_NOTIFY_BYTES) {
                try (PreparedStatement p = c.prepareStatement(STORE_BODY)) {
                    p.setString(1, event.id());
                    p.setString(2, event.empresaId());
                    p.setString(3, event.frame());
                    p.executeUpdate();
                }
                payload = event.empresaId() + "\n" + PgListener.REFERENCE + event.id();
            }
            payloads.add(payload);
        }
        try (PreparedStatement p = c.prepareStatement(NOTIFY)) {
            p.setArray(1, c.createArrayOf("text", payloads.toArray()));
            p.executeQuery().close();
        }
    }

    private void forgetOldBodies() throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement p = c.prepareStatement(FORGET_BODIES)) {
            p.executeUpdate();
        }
    }
}
