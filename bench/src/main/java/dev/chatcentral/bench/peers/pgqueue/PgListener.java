package dev.chatcentral.bench.peers.pgqueue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one dedicated connection that LISTENs: {@code webhook_queue} wakes the workers, {@code chat_events} carries
 * the workers' events to the relay, in commit order. An event too large for a NOTIFY arrives as a reference and is
 * read back here, on this thread, so it keeps its place among the others.
 */
final class PgListener implements SmartLifecycle {

    static final String EVENTS_CHANNEL = "chat_events";
    static final String QUEUE_CHANNEL = "webhook_queue";
    static final String REFERENCE = "ref:";

    private static final Logger log = LoggerFactory.getLogger(PgListener.class);

    private final PeerSettings settings;
    private final DataSource readBack;
    private final QueueWorkers workers;
    private final WebSocketRelay relay;
    private volatile boolean running;
    private volatile Thread thread;

    PgListener(PeerSettings settings, DataSource readBack, QueueWorkers workers, WebSocketRelay relay) {
        this.settings = settings;
        this.readBack = readBack;
        this.workers = workers;
        this.relay = relay;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "pg-listener");
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread listening = thread;
        if (listening != null) {
            try {
                listening.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the workers, so no NOTIFY of theirs is sent before someone listens. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }

    private void listen() {
        while (running) {
            try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), "");
                 Statement s = c.createStatement()) {
                s.execute("LISTEN " + EVENTS_CHANNEL + "; LISTEN " + QUEUE_CHANNEL);
                // rows queued while nobody listened are claimed now rather than at the workers' next interval
                workers.wake();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    boolean queued = false;
                    for (PGNotification notification : notifications) {
                        if (QUEUE_CHANNEL.equals(notification.getName())) {
                            queued = true;
                        } else {
                            deliver(notification.getParameter());
                        }
                    }
                    if (queued) {
                        workers.wake();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // events notified while this connection was down are lost to the relay, as in the original design
                log.warn("LISTEN connection lost, reconnecting", e);
                sleepQuietly();
            }
        }
    }

    /** One event to the relay; one whose body cannot be read back is skipped, not the listener lost. */
    private void deliver(String payload) {
        int newline = payload.indexOf('\n');
        if (newline < 0) {
            return;
        }
        String empresaId = payload.substring(0, newline);
        String frame = payload.substring(newline + 1);
        if (frame.startsWith(REFERENCE)) {
            String eventId = frame.substring(REFERENCE.length());
            try {
                frame = readBody(eventId);
            } catch (SQLException e) {
                log.warn("event {} of empresa {} not relayed: its body could not be read back", eventId, empresaId, e);
                return;
            }
            if (frame == null) {
                return;
            }
        }
        relay.fanOut(empresaId, frame);
    }

    private String readBody(String eventId) throws SQLException {
        try (Connection c = readBack.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT body FROM realtime_event_body WHERE id = ?")) {
            p.setString(1, eventId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
