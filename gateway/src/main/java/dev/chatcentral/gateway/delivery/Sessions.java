package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.auth.Agent;

/**
 * The sessions of this node, whatever their transport: the connection limits (per node, empresa and user), each
 * session's timers (keepalive, dead-connection timeout, token expiry), its writer threads, and the graceful
 * shutdown that tells every client to reconnect elsewhere.
 *
 * <p>A transport first {@link #reserve}s a place for the agent (before any upgrade, so a refusal is a plain HTTP
 * answer), then {@link #open}s the session in it; {@link #closed} gives the place back. {@link SessionListener}s
 * hear of both (presence reports sessions from there).
 */
@Component
public class Sessions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final EventConsumer events;
    private final Fanout fanout;
    private final RealtimeMetrics metrics;
    private final SessionProperties properties;
    private final List<SessionListener> listeners;
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final SessionPlaces places;
    private final ExecutorService writers;
    private final ScheduledExecutorService timers;
    private volatile boolean accepting = true;
    private volatile boolean running;

    public Sessions(EventConsumer events, Fanout fanout, RealtimeMetrics metrics, SessionProperties properties,
                    ObjectProvider<SessionListener> listeners) {
        this.events = events;
        this.fanout = fanout;
        this.metrics = metrics;
        this.properties = properties;
        this.listeners = listeners.orderedStream().toList();
        this.places = new SessionPlaces(properties);
        AtomicInteger writerThreads = new AtomicInteger();
        // a writer blocked on a slow client holds its thread for at most sendTimeLimit, so threads are not pooled
        // to a fixed count: one stuck client must never delay the others
        this.writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "session-writer-" + writerThreads.incrementAndGet()));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "session-timers"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timers = scheduler;
        for (Transport transport : Transport.values()) {
            metrics.active(transport, () -> count(transport));
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Takes a place for a new session of {@code agent}; the refusal to answer with when the node is stopping, or
     * the node, the agent's empresa or the agent holds its most sessions.
     */
    public Optional<ConnectionRefusal> reserve(Agent agent) {
        Optional<ConnectionRefusal> refused = accepting ? places.take(agent)
                : Optional.of(ConnectionRefusal.shuttingDown());
        refused.ifPresent(refusal -> metrics.refused(refusal.code()));
        return refused;
    }

    /** Gives back a place taken by {@link #reserve} when no session was opened in it. */
    public void release(Agent agent) {
        places.giveBack(agent);
    }

    /**
     * Opens a session in a place taken by {@link #reserve}: registers it, starts reading its empresa's events
     * ({@link ClientSession#ready()}), and arms its token-expiry and, with {@code keepalive}, ping and
     * dead-connection timers.
     */
    public ClientSession open(Transport transport, Agent agent, FrameSink sink, boolean keepalive) {
        ClientSession session = new ClientSession(transport, agent, sink, this,
                properties.sendQueueLimit().toBytes(), events.attach(agent.empresaId()));
        sessions.put(session.id(), session);
        metrics.opened(transport);
        listeners.forEach(listener -> listener.opened(session));
        scheduleExpiry(session);
        if (keepalive) {
            long ping = properties.pingInterval().toMillis();
            session.keepAliveWith(timers.scheduleAtFixedRate(() -> keepalive(session, transport), ping, ping,
                    TimeUnit.MILLISECONDS));
        }
        return session;
    }

    /** The session ended, however; idempotent. Its subscriptions, partition demand and place are given back. */
    public void closed(ClientSession session) {
        if (sessions.remove(session.id()) == null) {
            return;
        }
        session.discard();
        session.cancelTimers();
        fanout.unsubscribeAll(session);
        events.detach(session.agent().empresaId());
        places.giveBack(session.agent());
        listeners.forEach(listener -> listener.closed(session));
    }

    /**
     * Replaces the session's token by a newer one of the same user and empresa, and moves the expiry to the new
     * token's {@code exp}.
     *
     * @throws IllegalArgumentException when the new token is of another user or empresa
     */
    public void refresh(ClientSession session, Agent refreshed) {
        Agent current = session.agent();
        if (!current.userId().equals(refreshed.userId()) || !current.empresaId().equals(refreshed.empresaId())) {
            throw new IllegalArgumentException("the new token must have the same sub and empresaId");
        }
        session.replaceAgent(refreshed);
        session.cancelExpiry();
        scheduleExpiry(session);
    }

    private void scheduleExpiry(ClientSession session) {
        Instant expiresAt = session.agent().expiresAt();
        // +1 ms: the timer's clock is not the wall clock, and a timer that fires early must not leave the session open
        long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis() + 1);
        session.expireWith(timers.schedule(() -> {
            if (Instant.now().isBefore(session.agent().expiresAt())) {
                scheduleExpiry(session);
            } else {
                session.close(CloseCodes.TOKEN_EXPIRED, "token expired: reconnect with a new token");
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    private void keepalive(ClientSession session, Transport transport) {
        if (transport == Transport.WEBSOCKET && session.silence().compareTo(properties.connectionTimeout()) > 0) {
            log.debug("session {} silent for {}: closing it", session.id(), session.silence());
            session.close(CloseCodes.IDLE_TIMEOUT, "no frame or pong within the connection timeout");
            return;
        }
        session.ping();
    }

    ExecutorService writers() {
        return writers;
    }

    RealtimeMetrics metrics() {
        return metrics;
    }

    public int count(Transport transport) {
        return (int) sessions.values().stream().filter(s -> s.transport() == transport).count();
    }

    /** Sessions open on this node, all transports. */
    public int size() {
        return sessions.size();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Stops accepting, tells every client to reconnect elsewhere (a {@code closing} frame, then close code 1012,
     * after the frames already queued for it), and waits for the queues to flush, up to the shutdown timeout.
     */
    @Override
    public void stop() {
        accepting = false;
        int open = sessions.size();
        if (open > 0) {
            log.info("shutting down: telling {} sessions to reconnect elsewhere", open);
        }
        sessions.values().forEach(session -> session.close(CloseCodes.SERVICE_RESTART,
                "node shutting down: reconnect and resume"));
        long deadline = System.nanoTime() + properties.shutdownTimeout().toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!sessions.isEmpty()) {
            log.warn("{} sessions did not flush within {}", sessions.size(), properties.shutdownTimeout());
        }
        timers.shutdownNow();
        writers.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the web server stops and before the event consumer, so the last frames still flow. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
