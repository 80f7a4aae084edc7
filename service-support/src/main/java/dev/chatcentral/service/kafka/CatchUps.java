package dev.chatcentral.service.kafka;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

import org.apache.kafka.common.TopicPartition;

/**
 * The {@link AssignedReader#readToEnd} requests waiting for the reader to reach the ends they were given. Used on
 * the reader's thread only.
 */
final class CatchUps {

    private final List<Waiter> waiters = new ArrayList<>();

    void add(Map<TopicPartition, Long> ends, CompletableFuture<Void> caughtUp) {
        waiters.add(new Waiter(ends, caughtUp));
    }

    /** Completes the waiters whose partitions were all read up to the ends they wait for. */
    void release(ToLongFunction<TopicPartition> position) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.caughtUp().isDone()) {
                it.remove();
            } else if (waiter.ends().entrySet().stream()
                    .allMatch(end -> position.applyAsLong(end.getKey()) >= end.getValue())) {
                it.remove();
                waiter.caughtUp().complete(null);
            }
        }
    }

    /** The partition is no longer read: whoever waits on it would wait forever. */
    void released(TopicPartition partition) {
        waiters.removeIf(waiter -> {
            boolean orphaned = waiter.ends().containsKey(partition);
            if (orphaned) {
                waiter.caughtUp().completeExceptionally(new IllegalStateException(partition + " released"));
            }
            return orphaned;
        });
    }

    void failAll(Throwable cause) {
        waiters.forEach(waiter -> waiter.caughtUp().completeExceptionally(cause));
        waiters.clear();
    }

    private record Waiter(Map<TopicPartition, Long> ends, CompletableFuture<Void> caughtUp) {
    }
}
