package dev.chatcentral.dispatcher;

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
 * failing number is cut off without touching the others, and each number keeps its own pace.
 */
final class InstanceGuards {

    private static final Logger log = LoggerFactory.getLogger(InstanceGuards.class);

    private final CircuitBreakerRegistry breakers;
    private final RateLimiterRegistry limiters;

    InstanceGuards(DispatcherProperties properties, MeterRegistry meters) {
        DispatcherProperties.Circuit circuit = properties.circuit();
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
            breaker.getEventPublisher().onStateTransition(event ->
                    log.warn("Evolution instance {}: circuit {}", breaker.getName(), event.getStateTransition()));
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

    private static int stateCode(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
        };
    }
}
