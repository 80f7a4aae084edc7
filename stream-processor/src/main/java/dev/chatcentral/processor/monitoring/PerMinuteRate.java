package dev.chatcentral.processor.monitoring;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How much a growing total grew over the last minute, from samples of it taken now and then: the seed's
 * "processed per minute" as a plain number on the dashboard, without a PromQL {@code rate()}.
 */
final class PerMinuteRate {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private record Sample(long nanos, double total) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Records the total as of {@code nanos} (a monotonic clock); samples must come in time order. */
    synchronized void sample(long nanos, double total) {
        samples.addLast(new Sample(nanos, total));
        // keep the newest sample at least a minute old, so the window always spans a full minute once it can
        while (samples.size() > 2 && nanos - secondOldest().nanos() >= MINUTE_NANOS) {
            samples.removeFirst();
        }
    }

    /** Growth per minute over the span of the samples (up to about a minute); 0 until two samples exist. */
    synchronized double perMinute() {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long span = last.nanos() - first.nanos();
        return span <= 0 ? 0 : (last.total() - first.total()) * MINUTE_NANOS / span;
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }
}
