package dev.chatcentral.gateway.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's outbound frames. Whoever produces frames only enqueues them; one writer at a time (a thread of
 * {@link Sessions#writers()}) drains the queue into the {@link FrameSink}, so the fan-out never waits for a client.
 * A queue that grows past its limit (the client reads too slowly) is dropped and the client closed with
 * {@link CloseCodes#SLOW_CONSUMER}, which tells it to resume. Every field is guarded by {@code lock}.
 */
final class SendQueue {

    private static final Logger log = LoggerFactory.getLogger(SendQueue.class);

    private final ClientSession session;
    private final FrameSink sink;
    private final Sessions owner;
    private final long limit;

    private final Object lock = new Object();
    /** Starts small: an idle session's queue is empty, and most live frames leave before the next arrives. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(1);
    private long queuedChars;
    private boolean writing;
    /** A close is queued or done: nothing more is accepted. */
    private boolean closing;

    SendQueue(ClientSession session, FrameSink sink, Sessions owner, long limit) {
        this.session = session;
        this.sink = sink;
        this.owner = owner;
        this.limit = limit;
    }

    void send(OutboundFrame frame) {
        synchronized (lock) {
            if (closing) {
                return;
            }
            if (queuedChars + frame.json().length() > limit) {
                overflowLocked();
                return;
            }
            queue.add(frame);
            queuedChars += frame.json().length();
            startWriterLocked();
        }
    }

    void ping() {
        synchronized (lock) {
            if (!closing) {
                queue.add(Ping.INSTANCE);
                startWriterLocked();
            }
        }
    }

    void close(int code, String reason) {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(new Close(code, reason));
            lock.notifyAll();
            startWriterLocked();
        }
    }

    void overflow() {
        synchronized (lock) {
            if (!closing) {
                overflowLocked();
            }
        }
    }

    boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    /** False when the session is closing or the wait timed out. */
    boolean awaitCapacity(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!closing && queuedChars > limit / 2) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return !closing;
        }
    }

    void discard() {
        synchronized (lock) {
            closing = true;
            queue.clear();
            queuedChars = 0;
            lock.notifyAll();
        }
    }

    private void overflowLocked() {
        log.warn("session {} of empresa {} reads too slowly ({} chars queued): closing it", session.id(),
                session.agent().empresaId(), queuedChars);
        owner.metrics().error("slow_consumer");
        queue.clear();
        queuedChars = 0;
        closing = true;
        queue.add(new Close(CloseCodes.SLOW_CONSUMER, "too slow: reconnect and resume"));
        lock.notifyAll();
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
            synchronized (lock) {
                item = queue.poll();
                if (item == null) {
                    writing = false;
                    return;
                }
                if (item instanceof OutboundFrame frame) {
                    queuedChars -= frame.json().length();
                    lock.notifyAll();
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
                log.debug("session {}: write failed, closing: {}", session.id(), e.toString());
                finish(CloseCodes.SLOW_CONSUMER, "send failed: reconnect and resume");
                return;
            }
        }
    }

    /** Runs on the writer only; {@code writing} stays true so no other writer starts on a closed session. */
    private void finish(int code, String reason) {
        discard();
        owner.metrics().closed(code);
        try {
            sink.close(code, reason);
        } catch (RuntimeException e) {
            log.debug("session {}: close failed: {}", session.id(), e.toString());
        } finally {
            owner.closed(session);
        }
    }

    private enum Ping {
        INSTANCE
    }

    private record Close(int code, String reason) {
    }
}
