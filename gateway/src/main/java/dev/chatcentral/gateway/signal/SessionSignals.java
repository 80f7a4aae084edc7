package dev.chatcentral.gateway.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.SessionListener;
import dev.chatcentral.gateway.delivery.Transport;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.node.NodeHeartbeats;
import dev.chatcentral.schemas.signal.Signal;

/**
 * Reports this node's client sessions to presence: {@code session_opened} (with the node's boot epoch and the
 * token's name) when one opens, {@code session_closed} when it ends, whatever the reason (client close, timeout,
 * slow consumer, token expiry, shutdown).
 *
 * <p>A WebSocket or an SSE stream is one session from its start to its end. A long-poll request is not: a
 * long-polling user is one session of this node from their first poll until no poll of theirs has been waiting
 * for {@link SignalProperties#pollSessionLinger()}, however many polls and tabs that spans, so the signals do not
 * grow with the poll rate.
 *
 * <p>Every signal is sent under one lock, so a session's {@code session_opened} always precedes its
 * {@code session_closed} in {@code chat.signals}. What could not be written is made good later: a failed close is
 * sent again, and after a failed open or a heartbeat outage (during which presence may have expired this node's
 * sessions) every open session is reported again; presence ignores an opening it already knows.
 */
@Component
public class SessionSignals implements SessionListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionSignals.class);
    private static final Duration SWEEP = Duration.ofMillis(500);

    private final SignalPublisher publisher;
    private final GatewayNode node;
    private final long bootEpoch;
    private final long lingerNanos;

    private final Object lock = new Object();
    /** Sessions reported open, by the session id presence knows; guarded by lock. */
    private final Map<String, Agent> open = new HashMap<>();
    /** Long-polling users, by empresa and user; guarded by lock. */
    private final Map<String, Poller> pollers = new HashMap<>();
    /** Sessions that ended before they were reported open, so they never will be; guarded by lock. */
    private final Set<String> endedEarly = new HashSet<>();
    /** Closes whose write failed, to send again; filled on the producer's thread, which must never wait for lock. */
    private final Queue<Signal> unsentCloses = new ConcurrentLinkedQueue<>();
    private volatile boolean resync;
    private boolean stopped;
    private ScheduledExecutorService timer;
    private volatile boolean running;

    public SessionSignals(SignalPublisher publisher, GatewayNode node, NodeHeartbeats heartbeats,
                          SignalProperties properties) {
        this.publisher = publisher;
        this.node = node;
        this.bootEpoch = heartbeats.bootEpoch();
        this.lingerNanos = properties.pollSessionLinger().toNanos();
        heartbeats.onRecovered(() -> resync = true);
    }

    @Override
    public void opened(ClientSession session) {
        Agent agent = session.agent();
        synchronized (lock) {
            if (stopped || endedEarly.remove(session.id())) {
                return;
            }
            if (session.transport() != Transport.POLL) {
                report(session.id(), agent);
                return;
            }
            Poller poller = pollers.computeIfAbsent(pollerKey(agent), key -> {
                Poller started = new Poller(UUID.randomUUID().toString());
                report(started.sessionId, agent);
                return started;
            });
            poller.waiting++;
        }
    }

    @Override
    public void closed(ClientSession session) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (session.transport() != Transport.POLL) {
                if (!end(session.id())) {
                    endedEarly.add(session.id());
                }
                return;
            }
            Poller poller = pollers.get(pollerKey(session.agent()));
            if (poller == null) {
                endedEarly.add(session.id());
                return;
            }
            poller.waiting--;
            poller.lastAnsweredNanos = System.nanoTime();
        }
    }

    /** Called with lock held. */
    private void report(String sessionId, Agent agent) {
        open.put(sessionId, agent);
        send(opening(sessionId, agent));
    }

    /** Called with lock held; false when the session was not reported open. */
    private boolean end(String sessionId) {
        Agent agent = open.remove(sessionId);
        if (agent == null) {
            return false;
        }
        send(new Signal(Signal.SESSION_CLOSED, node.id(), null, sessionId, agent.empresaId(), agent.userId(),
                agent.name(), null, null, Instant.now()));
        return true;
    }

    /** Names the user's roles, so automatic assignment hands conversas only to atendentes. */
    private Signal opening(String sessionId, Agent agent) {
        return new Signal(Signal.SESSION_OPENED, node.id(), bootEpoch, sessionId, agent.empresaId(), agent.userId(),
                agent.name(), null, null, Instant.now(), agent.roles().stream().map(Role::claim).sorted().toList());
    }

    /** Called with lock held, so signals enter the producer in the order of the changes they report. */
    private void send(Signal signal) {
        publisher.publish(signal).whenComplete((written, e) -> {
            if (e == null) {
                return;
            }
            log.warn("{} of session {} not written, will send again: {}", signal.type(), signal.sessionId(),
                    e.getMessage());
            if (signal.type().equals(Signal.SESSION_CLOSED)) {
                unsentCloses.add(signal);
            }
            resync = true;
        });
    }

    /** Ends long-polling users who stopped polling, and sends again what could not be written. */
    private void sweep() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            pollers.values().removeIf(poller -> {
                boolean gone = poller.waiting <= 0 && now - poller.lastAnsweredNanos > lingerNanos;
                if (gone) {
                    end(poller.sessionId);
                }
                return gone;
            });
            if (resync) {
                resync = false;
                List<Signal> closes = new ArrayList<>();
                for (Signal close = unsentCloses.poll(); close != null; close = unsentCloses.poll()) {
                    closes.add(close);
                }
                closes.forEach(this::send);
                open.forEach((sessionId, agent) -> send(opening(sessionId, agent)));
                log.info("reported {} open sessions again, and {} closes", open.size(), closes.size());
            }
        }
    }

    private static String pollerKey(Agent agent) {
        return agent.empresaId() + "|" + agent.userId();
    }

    @Override
    public void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "session-signals");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        timer = executor;
        running = true;
    }

    /**
     * The node is stopping and its sessions were told to go elsewhere: every session still reported open (long-poll
     * users, and any that did not finish closing in time) is reported closed, and the signals are flushed before the
     * node's heartbeat tombstone.
     */
    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        synchronized (lock) {
            stopped = true;
            for (String sessionId : List.copyOf(open.keySet())) {
                end(sessionId);
            }
            pollers.clear();
        }
        publisher.flush();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops right after the sessions are closed, before the heartbeats. */
    @Override
    public int getPhase() {
        return NodeHeartbeats.PHASE + 1;
    }

    private static final class Poller {

        final String sessionId;
        /** Polls of this user now waiting on this node. */
        int waiting;
        long lastAnsweredNanos = System.nanoTime();

        Poller(String sessionId) {
            this.sessionId = sessionId;
        }
    }
}
