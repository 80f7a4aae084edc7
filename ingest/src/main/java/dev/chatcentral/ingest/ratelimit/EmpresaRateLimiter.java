package dev.chatcentral.ingest.ratelimit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;

/**
 * A budget of webhooks per empresa and second, so a tenant that floods the ingest is refused (429) before it can
 * take the producer's buffer and the request threads from the others. A permit is never waited for: a request
 * thread is not held because of one tenant's burst.
 *
 * <p>Each empresa's budget is one word, the second it counts and the permits taken in it, changed by one
 * compare-and-set per request. Resilience4j's limiter, used before, answered a lost compare-and-set by parking the
 * thread and trying again: with a few hundred request threads of one empresa (Evolution opens a connection per
 * webhook in flight) they spun and parked in turn, and at 500 webhooks/s the ingest took a core and a half and
 * answered in half a second (issue 15). Here a lost compare-and-set means another thread took a permit or opened
 * the second, so trying again at once always makes progress.
 */
@Component
public class EmpresaRateLimiter {

    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final long PERMITS = 0xFFFF_FFFFL;

    private final ConcurrentMap<String, AtomicLong> budgets = new ConcurrentHashMap<>();
    private final long limit;
    private final LongSupplier nanoTime;
    private final long origin;

    @Autowired
    public EmpresaRateLimiter(IngestProperties properties) {
        this(properties.rateLimit().requestsPerSecond(), System::nanoTime);
    }

    EmpresaRateLimiter(int requestsPerSecond, LongSupplier nanoTime) {
        this.limit = requestsPerSecond;
        this.nanoTime = nanoTime;
        this.origin = nanoTime.getAsLong();
    }

    /** Takes a permit for one webhook of the empresa, if one is left in the current second. */
    public boolean tryAcquire(String empresaId) {
        AtomicLong budget = budgets.computeIfAbsent(empresaId, id -> new AtomicLong());
        long second = (nanoTime.getAsLong() - origin) / PERIOD.toNanos();
        while (true) {
            long state = budget.get();
            long next;
            if (state >>> 32 != second) {
                next = second << 32 | 1;
            } else if ((state & PERMITS) < limit) {
                next = state + 1;
            } else {
                return false;
            }
            if (budget.compareAndSet(state, next)) {
                return true;
            }
        }
    }

    /** What to tell a refused caller: permits come back within one period. */
    public Duration retryAfter() {
        return PERIOD;
    }
}
