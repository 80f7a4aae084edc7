package dev.chatcentral.dispatcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * How long the replies of one instance in one poll may still wait, together, for that instance's open circuit: the
 * first waits up to the whole budget, the ones after it no longer wait once it is spent, so a dead instance costs
 * its poll a bounded time however many replies it has.
 */
final class LaneBudget {

    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private long remainingNanos;

    LaneBudget(Duration circuitWait) {
        this.remainingNanos = circuitWait.toNanos();
    }

    /** Takes a call permission from the breaker, waiting for it within the budget; false if none came. */
    boolean awaitPermission(CircuitBreaker breaker) {
        while (!breaker.tryAcquirePermission()) {
            if (remainingNanos <= 0) {
                return false;
            }
            long nap = Math.min(remainingNanos, NAP_NANOS);
            try {
                TimeUnit.NANOSECONDS.sleep(nap);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DispatchInterruptedException("interrupted while the circuit of " + breaker.getName()
                        + " was open");
            }
            remainingNanos -= nap;
        }
        return true;
    }
}
