package dev.chatcentral.localstack.process;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * When to start a child again after it died, one policy per child. The first restart waits {@code first}, each
 * further quick death twice as long, at most {@code max}: a child that dies at once must not spin the machine's
 * two cores. A child that had run for {@code stable} starts over at {@code first}. The {@code maxDeaths}-th death
 * within {@code window} leaves the child stopped: it would only die again, and its log says why.
 */
public final class RestartPolicy {

    private final Duration first;
    private final Duration max;
    private final Duration stable;
    private final int maxDeaths;
    private final Duration window;
    private final Deque<Instant> recentDeaths = new ArrayDeque<>();
    private int quickDeaths;

    RestartPolicy(Duration first, Duration max, Duration stable, int maxDeaths, Duration window) {
        this.first = first;
        this.max = max;
        this.stable = stable;
        this.maxDeaths = maxDeaths;
        this.window = window;
    }

    /** 1 s, 2 s, 4 s … at most 30 s; back to 1 s after a minute up; the 5th death within 5 minutes is the last. */
    public static RestartPolicy standard() {
        return new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), 5,
                Duration.ofMinutes(5));
    }

    /**
     * Records a death after {@code uptime}; returns how long to wait before the restart, or empty when the child
     * is to stay stopped.
     */
    public Optional<Duration> afterDeath(Instant diedAt, Duration uptime) {
        recentDeaths.addLast(diedAt);
        while (!recentDeaths.getFirst().isAfter(diedAt.minus(window))) {
            recentDeaths.removeFirst();
        }
        if (recentDeaths.size() >= maxDeaths) {
            return Optional.empty();
        }
        quickDeaths = uptime.compareTo(stable) >= 0 ? 1 : quickDeaths + 1;
        Duration delay = first.multipliedBy(1L << Math.min(quickDeaths - 1, 20));
        return Optional.of(delay.compareTo(max) > 0 ? max : delay);
    }

    /** The deaths counted against {@link #maxDeaths()}, the last one included. */
    public int recentDeaths() {
        return recentDeaths.size();
    }

    public int maxDeaths() {
        return maxDeaths;
    }

    public Duration window() {
        return window;
    }
}
