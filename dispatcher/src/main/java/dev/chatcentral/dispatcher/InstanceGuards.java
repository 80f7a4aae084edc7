package dev.chatcentral.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker and the rate limiter of each Evolution instance (one WhatsApp number), made on first use: one
 * failing number is cut off without touching the others, and each number keeps its own pace. Each breaker's last
 * opening and its failures in a row are kept, to tell the agent how long the number stays cut off and why.
 */
final class InstanceGuards {

    private static final Logger log = LoggerFactory.getLogger(InstanceGuards.class);

    private final CircuitBreakerRegistry breakers;
    private final RateLimiterRegistry limiters;
    private final Duration openFor;
    private final Map<String, Health> health = new ConcurrentHashMap<>();

    /** When the breaker last opened, and its calls that failed since the last that did not. */
    private static final class Health {
        private volatile Instant openedAt;
        private final AtomicInteger failuresInARow = new AtomicInteger();
    }

    InstanceGuards(DispatcherProperties properties, MeterRegistry meters) {
        DispatcherProperties.Circuit circuit = properties.circuit();
        this.openFor = circuit.openFor();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuit.window())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .failureRateThreshold(circuit.failureRate())
                .waitDurationInOpenState(circuit.openFor())
                .permittedNumberOfCallsInHalfOpenState(circuit.halfOpenCalls())
                .build());
        this.breakers.getEventPublisher().onEntryAdded(added -> {
            CircuitBreaker breaker = added.getAddedEntry();
            Gauge.builder("chatcentral.dispatcher.circuit.state", breaker, b -> stateCode(b.getState()))
                    .description("Circuit of an Evolution instance: 0 closed, 1 half-open, 2 open")
                    .tags(Tags.of("instance", breaker.getName()))
                    .register(meters);
            Health instance = health(breaker.getName());
            breaker.getEventPublisher()
                    .onStateTransition(event -> {
                        log.warn("Evolution instance {}: circuit {}", breaker.getName(), event.getStateTransition());
                        if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                            instance.openedAt = event.getCreationTime().toInstant();
                        }
                    })
                    .onError(event -> instance.failuresInARow.incrementAndGet())
                    .onSuccess(event -> instance.failuresInARow.set(0));
        });
        DispatcherProperties.RateLimit rate = properties.rateLimit();
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(rate.permits())
                .limitRefreshPeriod(rate.period())
                // one lane per instance asks at a time, so a permit is never further away than one period
                .timeoutDuration(rate.period())
                .build());
    }

    CircuitBreaker breaker(String instance) {
        return breakers.circuitBreaker(instance);
    }

    RateLimiter limiter(String instance) {
        return limiters.rateLimiter(instance);
    }

    /** When the instance's open circuit lets a call through again: never in the past. */
    Instant retryAt(String instance) {
        Instant openedAt = health(instance).openedAt;
        Instant now = Instant.now();
        if (openedAt == null) {
            return now;
        }
        Instant reopens = openedAt.plus(openFor);
        return reopens.isAfter(now) ? reopens : now;
    }

    int failuresInARow(String instance) {
        return health(instance).failuresInARow.get();
    }

    private Health health(String instance) {
        return health.computeIfAbsent(instance, i -> new Health());
    }

    private static int stateCode(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
        };
    }
}
