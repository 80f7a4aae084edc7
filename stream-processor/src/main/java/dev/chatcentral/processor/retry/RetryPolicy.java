package dev.chatcentral.processor.retry;

import java.time.Duration;

/**
 * How parked records are retried: after the n-th failure a record waits {@code base * 2^(n-1)}, at most
 * {@code max}; it fails for good, into the DLQ, when a retry fails and {@code maxRetryAttempts} retries were made.
 *
 * @param maxRetryAttempts  retries after the first attempt; 0 sends a record to the DLQ at its first failure
 * @param punctuateInterval how often (wall clock) parked records are checked for being due
 */
public record RetryPolicy(int maxRetryAttempts, Duration backoffBase, Duration backoffMax,
                          Duration punctuateInterval) {

    public RetryPolicy {
        if (maxRetryAttempts < 0) {
            throw new IllegalArgumentException("maxRetryAttempts must be >= 0, was " + maxRetryAttempts);
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoff base must be positive and not above the maximum");
        }
        if (punctuateInterval.isNegative() || punctuateInterval.isZero()) {
            throw new IllegalArgumentException("punctuateInterval must be positive");
        }
    }

    /** Whether a record that failed {@code failures} times has used up its retries. */
    public boolean exhausted(int failures) {
        return failures > maxRetryAttempts;
    }

    /** How long a record waits after its {@code failures}-th failure. */
    public long delayMillis(int failures) {
        long delay = backoffBase.toMillis();
        for (int i = 1; i < failures && delay < backoffMax.toMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, backoffMax.toMillis());
    }
}
