package dev.chatcentral.dispatcher;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.chatcentral.dispatcher.EvolutionCall.Kind;
import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * Sends one reply through its instance's guards: the circuit breaker (an open circuit is waited for within the
 * {@link LaneBudget}, then the reply fails without a call), the rate limiter (waited for: pacing never fails a
 * reply), then the call; 5xx, unreachable and (if so configured) unanswered calls are retried with exponential
 * backoff, 4xx never. Every call counts in the breaker; only 5xx, unreachable and unanswered ones as failures.
 */
final class ReplySender {

    /** One step of the retry loop: a call's answer, or null when the open circuit allowed no call. */
    private record Step(EvolutionCall call) {
    }

    private final EvolutionClient client;
    private final InstanceGuards guards;
    private final Retry retry;
    private final int maxAttempts;
    private final MeterRegistry meters;

    ReplySender(EvolutionClient client, InstanceGuards guards, DispatcherProperties properties, MeterRegistry meters) {
        this.client = client;
        this.guards = guards;
        this.meters = meters;
        DispatcherProperties.Retry settings = properties.retry();
        this.maxAttempts = settings.maxAttempts();
        this.retry = Retry.of("evolution-send-text", RetryConfig.<Step>custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.initialBackoff(),
                        settings.multiplier(), settings.maxBackoff()))
                .retryOnResult(step -> step.call() != null && retryable(step.call().kind(), settings.timeouts()))
                .retryOnException(e -> false)
                .failAfterMaxAttempts(false)
                .build());
    }

    Delivery send(OutboundMessage message, LaneBudget budget) {
        CircuitBreaker breaker = guards.breaker(message.instance());
        RateLimiter limiter = guards.limiter(message.instance());
        AtomicInteger calls = new AtomicInteger();
        Step last = retry.executeSupplier(() -> {
            if (!budget.awaitPermission(breaker)) {
                return new Step(null);
            }
            EvolutionCall call = call(message, breaker, limiter);
            calls.incrementAndGet();
            return new Step(call);
        });
        return delivery(message, last.call(), calls.get());
    }

    private EvolutionCall call(OutboundMessage message, CircuitBreaker breaker, RateLimiter limiter) {
        long start = 0;
        try {
            pace(limiter);
            start = System.nanoTime();
            EvolutionCall call = client.send(message);
            long nanos = System.nanoTime() - start;
            if (call.kind().instanceFailure()) {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, new EvolutionFailureException(call.detail()));
            } else {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
            Timer.builder("chatcentral.dispatcher.evolution.calls")
                    .description("sendText calls to Evolution, by instance and answer")
                    .tags("instance", message.instance(), "result", call.metricTag())
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(nanos, TimeUnit.NANOSECONDS);
            return call;
        } catch (InterruptedException e) {
            breaker.releasePermission();
            Thread.currentThread().interrupt();
            throw new DispatchInterruptedException("interrupted during the call for command " + message.commandId());
        } catch (RuntimeException e) {
            breaker.releasePermission();
            throw e;
        }
    }

    private static void pace(RateLimiter limiter) throws InterruptedException {
        while (!limiter.acquirePermission()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for the rate limiter of " + limiter.getName());
            }
        }
    }

    private static boolean retryable(Kind kind, boolean retryNoAnswer) {
        return kind == Kind.SERVER_ERROR || kind == Kind.UNREACHABLE || (kind == Kind.NO_ANSWER && retryNoAnswer);
    }

    private Delivery delivery(OutboundMessage message, EvolutionCall last, int calls) {
        if (last == null) {
            return Delivery.failed("circuit_open", "Evolution instance " + message.instance()
                    + " is failing (circuit open); not sent" + (calls > 0 ? " after " + calls + " calls" : ""),
                    calls);
        }
        return switch (last.kind()) {
            case SENT -> Delivery.sent(last.keyId(), last.detail(), calls);
            case NOT_ON_WHATSAPP -> Delivery.failed("not_on_whatsapp", last.detail(), calls);
            case UNAUTHORIZED -> Delivery.failed("unauthorized", last.detail(), calls);
            case REJECTED -> Delivery.failed("rejected", last.detail(), calls);
            case SERVER_ERROR, UNREACHABLE, NO_ANSWER -> calls >= maxAttempts
                    ? Delivery.failed("retries_exhausted", "not sent after " + calls + " calls: " + last.detail(),
                            calls)
                    : Delivery.failed("no_answer", last.detail() + "; not retried, as the reply may have been sent"
                            + " (chatcentral.dispatcher.retry.timeouts=false)", calls);
        };
    }
}
