package dev.chatcentral.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The schedule of an open-loop load: request {@code i} is due at {@code start + i / rate}, whatever the server did
 * with the previous ones, and latencies are measured from that due time (no coordinated omission).
 */
public final class OpenLoop {

    private final long startNanos;
    private final double periodNanos;

    public OpenLoop(long startNanos, int ratePerSecond) {
        this.startNanos = startNanos;
        this.periodNanos = 1e9 / ratePerSecond;
    }

    /** Waits until request {@code index} is due and returns its due time ({@link System#nanoTime()} scale). */
    public long awaitDue(long index) {
        long due = startNanos + (long) (index * periodNanos);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return due;
    }
}
