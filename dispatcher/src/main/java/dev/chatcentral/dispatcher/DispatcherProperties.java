package dev.chatcentral.dispatcher;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the dispatcher that sends {@code chat.outbound} replies to WhatsApp through Evolution API.
 *
 * @param groupId            its consumer group
 * @param concurrency        consumer threads (each owns some of the topic's partitions)
 * @param batchSize          records per poll; a poll's instances are sent in parallel, and the next poll waits for
 *                           the slowest of them, so this bounds how long a slow instance holds up the others
 * @param maxParallelSends   instances sent to at the same time, over all consumer threads
 * @param evolutionUrl       base URL of Evolution API
 * @param evolutionApikey    Evolution's global API key, which authorizes every instance
 * @param connectTimeout     longest wait for a TCP connection to Evolution
 * @param callTimeout        longest wait for one answer of Evolution (sendText, sendReaction, deleteMessageForEveryone)
 * @param retry              retries of 5xx, timeouts and network errors
 * @param circuit            the circuit breaker of each instance
 * @param rateLimit          the pace of each instance
 * @param shutdownTimeout    how long a stopping dispatcher lets calls in flight finish
 * @param lookup             the search for a reply whose sendText got no answer
 */
@ConfigurationProperties("chatcentral.dispatcher")
public record DispatcherProperties(
        String groupId,
        int concurrency,
        int batchSize,
        int maxParallelSends,
        URI evolutionUrl,
        String evolutionApikey,
        Duration connectTimeout,
        Duration callTimeout,
        @DefaultValue Retry retry,
        @DefaultValue Circuit circuit,
        @DefaultValue RateLimit rateLimit,
        Duration shutdownTimeout,
        @DefaultValue Lookup lookup) {

    public DispatcherProperties {
        atLeast("concurrency", concurrency, 1);
        atLeast("batch-size", batchSize, 1);
        atLeast("max-parallel-sends", maxParallelSends, 1);
        positive("connect-timeout", connectTimeout);
        positive("call-timeout", callTimeout);
        positive("shutdown-timeout", shutdownTimeout);
        if (evolutionApikey == null || evolutionApikey.isBlank()) {
            throw new IllegalArgumentException("chatcentral.dispatcher.evolution-apikey must not be blank");
        }
    }

    /**
     * @param maxAttempts    calls per reply at most, the first included
     * @param initialBackoff wait before the second call, multiplied by {@code multiplier} before each further one
     * @param maxBackoff     longest wait between two calls
     * @param timeouts       whether a call that timed out is retried: Evolution may have sent the reply and only
     *                       answered late, so a retry can deliver it twice; false trades that for a FAILED reply
     */
    public record Retry(
            int maxAttempts,
            Duration initialBackoff,
            double multiplier,
            Duration maxBackoff,
            boolean timeouts) {

        public Retry {
            atLeast("retry.max-attempts", maxAttempts, 1);
            positive("retry.initial-backoff", initialBackoff);
            positive("retry.max-backoff", maxBackoff);
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("chatcentral.dispatcher.retry.multiplier must be at least 1, was "
                        + multiplier);
            }
        }
    }

    /**
     * Opens when at least {@code failureRate} percent of the last {@code window} calls to one instance failed (5xx,
     * timeout, network; never 4xx), once {@code minimumCalls} were made; stays open {@code openFor}, then lets
     * {@code halfOpenCalls} probe calls through. A reply that finds it open waits at most {@code maxWait} (shared by
     * the replies of one instance in one poll) before it is FAILED.
     */
    public record Circuit(
            int window,
            int minimumCalls,
            float failureRate,
            Duration openFor,
            int halfOpenCalls,
            Duration maxWait) {

        public Circuit {
            atLeast("circuit.window", window, 1);
            atLeast("circuit.minimum-calls", minimumCalls, 1);
            atLeast("circuit.half-open-calls", halfOpenCalls, 1);
            positive("circuit.open-for", openFor);
            if (maxWait == null || maxWait.isNegative()) {
                throw new IllegalArgumentException("chatcentral.dispatcher.circuit.max-wait must be zero or more");
            }
            if (!(failureRate > 0 && failureRate <= 100)) {
                throw new IllegalArgumentException(
                        "chatcentral.dispatcher.circuit.failure-rate must be a percentage above 0, was " + failureRate);
            }
        }
    }

    /**
     * At most {@code permits} calls to one instance per {@code period}: the default, 3 per 3 s, is one a second on
     * average with bursts of up to 3 (WhatsApp bans numbers that send in bursts).
     */
    public record RateLimit(
            int permits,
            Duration period) {

        public RateLimit {
            atLeast("rate-limit.permits", permits, 1);
            positive("rate-limit.period", period);
        }
    }

    /**
     * After a sendText that got no answer, the dispatcher waits {@code delay}, then asks Evolution for the chat's
     * latest messages (for at most {@code timeout}): the reply found there, sent no earlier than the first call less
     * {@code clockSkew} (between this host and Evolution's), is SENT; otherwise it is UNCONFIRMED.
     */
    public record Lookup(
            boolean enabled,
            Duration delay,
            Duration timeout,
            Duration clockSkew) {

        public Lookup {
            positive("lookup.timeout", timeout);
            zeroOrMore("lookup.delay", delay);
            zeroOrMore("lookup.clock-skew", clockSkew);
        }
    }

    private static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException("chatcentral.dispatcher." + name + " must be at least " + minimum
                    + ", was " + value);
        }
    }

    private static void zeroOrMore(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("chatcentral.dispatcher." + name + " must be zero or more, was "
                    + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("chatcentral.dispatcher." + name + " must be a positive duration, was "
                    + value);
        }
    }
}
