package dev.chatcentral.ingest.ratelimit;

import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

/**
 * One token bucket per empresa, so a tenant that floods the ingest is refused (429) before it can take the
 * producer's buffer and the request threads from the others. A permit is never waited for: a request thread is
 * not held because of one tenant's burst.
 */
@Component
public class EmpresaRateLimiter {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final RateLimiterRegistry registry;

    public EmpresaRateLimiter(IngestProperties properties) {
        this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(properties.rateLimit().requestsPerSecond())
                .limitRefreshPeriod(PERIOD)
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** Takes a permit for one webhook of the empresa, if one is free right now. */
    public boolean tryAcquire(String empresaId) {
        return registry.rateLimiter(empresaId).acquirePermission();
    }

    /** What to tell a refused caller: permits come back within one period. */
    public Duration retryAfter() {
        return PERIOD;
    }
}
