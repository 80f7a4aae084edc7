package dev.chatcentral.dispatcher;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

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
 * Sends one reply, reaction or deletion through its instance's guards: the circuit breaker (an open circuit is
 * waited for within the {@link LaneBudget}; if it allowed no call the send fails as {@code instance_unavailable},
 * with when to try again), the rate limiter (waited for: pacing never fails a send), then the call; 5xx, unreachable
 * and (if so configured) unanswered calls are retried with exponential backoff, 4xx never. Every call counts in the
 * breaker; only 5xx, unreachable and unanswered ones as failures.
 *
 * <p>A send with an unanswered call and none answered may have reached WhatsApp: it is not FAILED but UNCONFIRMED,
 * unless a reply is then found among the chat's messages ({@link SentLookup}).
 */
final class ReplySender {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** One step of the retry loop: a call's answer, or null when the open circuit allowed no call. */
    private record Step(EvolutionCall call) {
    }

    /** The calls of one send so far. */
    private static final class Tally {
        private int calls;
        private Instant firstCall;
        private EvolutionCall unanswered;
    }

    private final EvolutionClient client;
    private final InstanceGuards guards;
    private final SentLookup lookup;
    private final Retry retry;
    private final MeterRegistry meters;

    ReplySender(EvolutionClient client, InstanceGuards guards, SentLookup lookup, DispatcherProperties properties,
                MeterRegistry meters) {
        this.client = client;
        this.guards = guards;
        this.lookup = lookup;
        this.meters = meters;
        DispatcherProperties.Retry settings = properties.retry();
        this.retry = Retry.of("evolution-send", RetryConfig.<Step>custom()
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
        Tally tally = new Tally();
        Step last = retry.executeSupplier(() -> {
            if (!budget.awaitPermission(breaker)) {
                return new Step(null);
            }
            if (tally.firstCall == null) {
                tally.firstCall = Instant.now();
            }
            EvolutionCall call = call(message, breaker, limiter);
            tally.calls++;
            if (call.kind() == Kind.NO_ANSWER) {
                tally.unanswered = call;
            }
            return new Step(call);
        });
        return delivery(message, last.call(), tally);
    }

    /**
     * The outcome of a send whose earlier delivery started a call at {@code startedAt} and died before recording
     * it: a reply is looked up, nothing is called again.
     */
    Delivery settleUnknown(OutboundMessage message, Instant startedAt) {
        return uncertain(message, startedAt, Delivery.UNKNOWN_OUTCOME, "outcome unknown after a dispatcher restart; "
                + maybeReceived(message), 0);
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
                    .description("Calls to Evolution (sendText, sendReaction, deleteMessageForEveryone), by instance,"
                            + " kind and answer")
                    .tags("instance", message.instance(), "kind", message.effectiveKind(), "result", call.metricTag())
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

    private Delivery delivery(OutboundMessage message, EvolutionCall last, Tally tally) {
        if (last != null && last.kind() == Kind.SENT) {
            return Delivery.sent(last.keyId(), last.detail(), tally.calls);
        }
        if (tally.unanswered != null) {
            return uncertain(message, tally.firstCall, Delivery.NO_ANSWER,
                    tally.unanswered.detail() + "; " + maybeReceived(message), tally.calls);
        }
        if (last == null) {
            return tally.calls == 0 ? unavailable(message.instance())
                    : Delivery.failed("retries_exhausted", "Evolution instance " + message.instance()
                            + " is failing (circuit open); not sent after " + tally.calls + " calls", tally.calls);
        }
        return switch (last.kind()) {
            case NOT_ON_WHATSAPP -> Delivery.failed("not_on_whatsapp", last.detail(), tally.calls);
            case UNAUTHORIZED -> Delivery.failed("unauthorized", last.detail(), tally.calls);
            case REJECTED -> Delivery.failed("rejected", last.detail(), tally.calls);
            case SENT, SERVER_ERROR, UNREACHABLE, NO_ANSWER -> Delivery.failed("retries_exhausted",
                    "not sent after " + tally.calls + " calls: " + last.detail(), tally.calls);
        };
    }

    private Delivery unavailable(String instance) {
        Instant retryAt = guards.retryAt(instance);
        return Delivery.unavailable("WhatsApp number " + instance + " is unavailable ("
                + guards.failuresInARow(instance) + " failures in a row); not sent; try again after "
                + CLOCK.format(retryAt), retryAt);
    }

    /** A reply is SENT if Evolution has it since {@code since}; anything else stays UNCONFIRMED. */
    private Delivery uncertain(OutboundMessage message, Instant since, String reason, String error, int calls) {
        if (OutboundMessage.REPLY.equals(message.effectiveKind())) {
            String keyId = lookup.find(message, since).orElse(null);
            if (keyId != null) {
                return Delivery.sent(keyId, null, calls);
            }
        }
        return Delivery.unconfirmed(reason, error, calls);
    }

    private static String maybeReceived(OutboundMessage message) {
        String what = switch (message.effectiveKind()) {
            case OutboundMessage.REACTION -> "reaction";
            case OutboundMessage.DELETE -> "deletion";
            default -> "reply";
        };
        return "WhatsApp may have received the " + what + ": waiting for evidence";
    }
}
