package dev.chatcentral.gateway.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.gateway.auth.Agent;

/**
 * One connected client (a browser tab's WebSocket, SSE stream or long-poll): who it is, what it follows, and its
 * send queue. Whoever produces frames only enqueues them; one writer at a time drains the queue into the
 * {@link FrameSink}, so the fan-out never waits for a client. A queue that grows past its limit (the client reads
 * too slowly) is dropped and the client closed with {@link CloseCodes#SLOW_CONSUMER}, which tells it to resume.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final String id = UUID.randomUUID().toString();
    private final Transport transport;
    private final FrameSink sink;
    private final Sessions owner;
    private final long queueLimit;
    private volatile Agent agent;

    /** Channel -> subscription; changed by the transport's thread, read by the fan-out. */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Orders live and replayed event frames of this session; see {@link Fanout}. */
    final Object deliveryLock = new Object();
    /**
     * Live-event text held back for all of this session's replays together ({@link Replay#holdBack}), so one bound
     * holds however many of its channels wait; guarded by deliveryLock.
     */
    long heldBackChars;

    private final Object queueLock = new Object();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedChars;
    private boolean writing;
    /** A close is queued or done: nothing more is accepted. */
    private boolean closing;
    private volatile long lastSeenNanos = System.nanoTime();

    CompletableFuture<Void> ready;
    ScheduledFuture<?> expiry;
    ScheduledFuture<?> keepalive;

    ClientSession(Transport transport, Agent agent, FrameSink sink, Sessions owner, long queueLimit) {
        this.transport = transport;
        this.agent = agent;
        this.sink = sink;
        this.owner = owner;
        this.queueLimit = queueLimit;
    }

    public String id() {
        return id;
    }

    public Agent agent() {
        return agent;
    }

    public Transport transport() {
        return transport;
    }

    /** Completes when the empresa's events are being read, so events written from then on reach this session. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public boolean isSubscribed(String channel) {
        return subscriptions.containsKey(channel);
    }

    /** How many channels this session follows. */
    public int channelCount() {
        return subscriptions.size();
    }

    /** The channels this session follows. */
    public Set<String> channels() {
        return Set.copyOf(subscriptions.keySet());
    }

    void replaceAgent(Agent refreshed) {
        this.agent = refreshed;
    }

    /** Records that the client showed it is alive (any frame, a pong). */
    public void touch() {
        lastSeenNanos = System.nanoTime();
    }

    Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastSeenNanos);
    }

    public void send(OutboundFrame frame) {
        synchronized (queueLock) {
            if (closing) {
                return;
            }
            if (queuedChars + frame.json().length() > queueLimit) {
                overflowLocked();
                return;
            }
            queue.add(frame);
            queuedChars += frame.json().length();
            startWriterLocked();
        }
    }

    void ping() {
        synchronized (queueLock) {
            if (!closing) {
                queue.add(Ping.INSTANCE);
                startWriterLocked();
            }
        }
    }

    /** Closes once the frames already queued are written, with a {@code closing} frame before the close. */
    public void close(int code, String reason) {
        synchronized (queueLock) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(new Close(code, reason));
            queueLock.notifyAll();
            startWriterLocked();
        }
    }

    /** The client cannot keep up: what it has not received yet is dropped, and it is told to resume. */
    void overflow() {
        synchronized (queueLock) {
            if (!closing) {
                overflowLocked();
            }
        }
    }

    public boolean isClosing() {
        synchronized (queueLock) {
            return closing;
        }
    }

    /**
     * Blocks a producer that can wait (a replay) while the queue is more than half full, so a replay never
     * overflows a client that reads at a normal pace. False when the session is closing or the wait timed out.
     */
    boolean awaitCapacity(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (queueLock) {
            while (!closing && queuedChars > queueLimit / 2) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                queueLock.wait(Math.max(1, left / 1_000_000));
            }
            return !closing;
        }
    }

    /** The connection ended (either side): nothing more is queued or written. */
    void discard() {
        synchronized (queueLock) {
            closing = true;
            queue.clear();
            queuedChars = 0;
            queueLock.notifyAll();
        }
    }

    private void overflowLocked() {
        log.warn("session {} of empresa {} reads too slowly ({} chars queued): closing it", id, agent.empresaId(),
                queuedChars);
        owner.metrics().error("slow_consumer");
        queue.clear();
        queuedChars = 0;
        closing = true;
        queue.add(new Close(CloseCodes.SLOW_CONSUMER, "too slow: reconnect and resume"));
        queueLock.notifyAll();
        startWriterLocked();
    }

    private void startWriterLocked() {
        if (!writing) {
            writing = true;
            owner.writers().execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Object item;
            synchronized (queueLock) {
                item = queue.poll();
                if (item == null) {
                    writing = false;
                    return;
                }
                if (item instanceof OutboundFrame frame) {
                    queuedChars -= frame.json().length();
                    queueLock.notifyAll();
                }
            }
            try {
                if (item instanceof OutboundFrame frame) {
                    sink.write(frame);
                    owner.metrics().delivered(frame.eventTs());
                } else if (item == Ping.INSTANCE) {
                    sink.ping();
                } else if (item instanceof Close close) {
                    finish(close.code(), close.reason());
                    return;
                }
            } catch (IOException | RuntimeException e) {
                log.debug("session {}: write failed, closing: {}", id, e.toString());
                finish(CloseCodes.SLOW_CONSUMER, "send failed: reconnect and resume");
                return;
            }
        }
    }

    /** Runs on the writer only; {@code writing} stays true so no other writer starts on a closed session. */
    private void finish(int code, String reason) {
        synchronized (queueLock) {
            closing = true;
            queue.clear();
            queuedChars = 0;
            queueLock.notifyAll();
        }
        owner.metrics().closed(code);
        try {
            sink.close(code, reason);
        } catch (RuntimeException e) {
            log.debug("session {}: close failed: {}", id, e.toString());
        } finally {
            owner.closed(this);
        }
    }

    private enum Ping {
        INSTANCE
    }

    private record Close(int code, String reason) {
    }
}
