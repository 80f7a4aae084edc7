package dev.chatcentral.processor;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the stream processor.
 *
 * @param applicationId       Kafka Streams application.id: consumer group, transactional ids and internal topic
 *                            prefix; every instance of one deployment shares it
 * @param stateDir            where the local state stores live; unique per instance on one machine
 * @param numStreamThreads    stream threads of this instance (tasks are spread over them)
 * @param commitInterval      how often a transaction commits; events reach browsers only after it
 * @param dedupeWindow        how long a WhatsApp message id or receipt is remembered to drop redeliveries
 * @param dedupePurgeInterval how often ids older than the window (and indexed mensagens older than their
 *                            retention) are forgotten
 * @param mensagemIndexRetention how long a mensagem stays findable by its receipts after it was last written
 * @param commandDedupeWindow how long an atendente's commandId is remembered so the same command acts once; as long
 *                            as {@code chat.commands} keeps records, so even a replay of the topic acts once
 * @param unconfirmedWindow   how long a reply whose send may have reached WhatsApp waits for evidence (its echo)
 *                            before it is ERROR and may be resent
 * @param dlqEnabled          false drops (after logging) what would go to {@code chat.webhooks.dlq}
 * @param retry               retries of records that cannot be processed yet
 * @param sink                the PostgreSQL sink
 * @param health              when health reports the pipeline unready, and when no longer alive
 * @param silence             when a WhatsApp number that says it is connected counts as silent
 */
@ConfigurationProperties("chatcentral.processor")
public record ProcessorProperties(
        String applicationId,
        Path stateDir,
        int numStreamThreads,
        Duration commitInterval,
        Duration dedupeWindow,
        Duration dedupePurgeInterval,
        Duration mensagemIndexRetention,
        Duration commandDedupeWindow,
        Duration unconfirmedWindow,
        boolean dlqEnabled,
        @DefaultValue Retry retry,
        @DefaultValue Sink sink,
        @DefaultValue Health health,
        @DefaultValue Silence silence) {

    public ProcessorProperties {
        if (stateDir == null) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "chat-central", "streams");
        }
    }

    /**
     * A receipt often overtakes its mensagem by a few seconds (Evolution retries a failed webhook after 5, 10, 20 s),
     * so the defaults wait 2 + 4 + 8 s before giving up; a mensagem arriving meanwhile releases its receipts at once.
     *
     * @param maxAttempts       retries after the first attempt before the DLQ (seed: {@code MAX_RETRY_ATTEMPTS})
     * @param backoffBase       wait after the first failure; doubled after each further one
     * @param backoffMax        longest wait between two attempts
     * @param punctuateInterval how often parked records are checked for being due
     */
    public record Retry(
            int maxAttempts,
            Duration backoffBase,
            Duration backoffMax,
            Duration punctuateInterval) {
    }

    /**
     * @param enabled            whether this instance runs the sink (off: the topology alone, e.g. to scale it apart)
     * @param groupId            consumer group of the sink
     * @param concurrency        consumers of the sink in this instance
     * @param batchSize          most records one batch (one transaction) holds: the consumers' max.poll.records
     * @param initialBackoff     first wait before retrying a batch PostgreSQL refused
     * @param maxBackoff         longest wait between retries; retries never stop, so nothing is skipped
     * @param failuresToOpen     consecutive failed batches after which the circuit opens and writes stop trying
     * @param circuitOpenFor     how long an open circuit refuses writes before one batch probes PostgreSQL again
     */
    /**
     * @param sinkStallThreshold how long the sink may try one batch, or see records waiting without writing any,
     *                           before readiness goes DOWN
     * @param livenessGrace      how long the pipeline may stay unready (a Kafka Streams client stopped, the sink
     *                           stalled) before liveness goes DOWN too, so an orchestrator restarts the service
     */
    public record Health(
            Duration sinkStallThreshold,
            Duration livenessGrace) {
    }

    /**
     * Evolution instances are known to stay "connected" while they no longer send webhooks. Each instance's usual gap
     * between webhooks is learnt from its own traffic; one that says {@code open} and has sent nothing for
     * {@code gapFactor} times that gap, and at least {@code minSilence}, is reported silent.
     *
     * @param enabled       whether silences are watched for
     * @param checkInterval how often (wall clock) instances are checked
     * @param gapFactor     how many usual gaps without a webhook make a silence
     * @param minSilence    the shortest silence reported, however busy the instance usually is
     * @param minSamples    webhooks an instance must have sent (since this task started) before its gap is trusted
     */
    public record Silence(
            boolean enabled,
            Duration checkInterval,
            double gapFactor,
            Duration minSilence,
            int minSamples) {
    }

    public record Sink(
            boolean enabled,
            String groupId,
            int concurrency,
            int batchSize,
            Duration initialBackoff,
            Duration maxBackoff,
            int failuresToOpen,
            Duration circuitOpenFor) {
    }
}
