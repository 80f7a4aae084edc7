package dev.chatcentral.processor.topology;

import java.time.Duration;
import java.util.function.Consumer;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.dlq.DeadLetterListener;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.instance.InstanceSilence;
import dev.chatcentral.processor.retry.RetryPolicy;

/**
 * What the topology is built with.
 *
 * @param dedupeWindow           how long a WhatsApp message id or receipt is remembered to drop redeliveries
 * @param dedupePurgeInterval    how often (wall clock) expired dedupe and mensagem index entries are forgotten
 * @param mensagemIndexRetention how long a mensagem stays findable by receipts after it was last written (and a
 *                               failed reply resendable)
 * @param commandDedupeWindow    how long an atendente's commandId is remembered, so the same command acts once
 * @param unconfirmedWindow      how long an unconfirmed reply waits for evidence before it is ERROR
 * @param retry                  how records that cannot be processed yet are retried
 * @param dlqEnabled             false drops what would go to the DLQ, after logging it
 * @param outcomes               told the outcome of every record handled, for metrics
 * @param deadLetters            told of every record given up on, for metrics
 * @param poison                 inputs the exception handlers found Kafka refusing outputs of, to dead-letter
 * @param silence                when a WhatsApp number counts as silent
 * @param silences               told of every silence reported and ended, for metrics
 */
public record TopologySettings(Duration dedupeWindow, Duration dedupePurgeInterval, Duration mensagemIndexRetention,
                               Duration commandDedupeWindow, Duration unconfirmedWindow, RetryPolicy retry,
                               boolean dlqEnabled, Consumer<WebhookOutcome> outcomes, DeadLetterListener deadLetters,
                               PoisonRecords poison, InstanceSilence.Settings silence,
                               InstanceSilence.Listener silences) {

    public static TopologySettings from(ProcessorProperties properties, Consumer<WebhookOutcome> outcomes,
                                        DeadLetterListener deadLetters, PoisonRecords poison,
                                        InstanceSilence.Listener silences) {
        ProcessorProperties.Retry retry = properties.retry();
        return new TopologySettings(properties.dedupeWindow(), properties.dedupePurgeInterval(),
                properties.mensagemIndexRetention(), properties.commandDedupeWindow(), properties.unconfirmedWindow(),
                new RetryPolicy(retry.maxAttempts(), retry.backoffBase(), retry.backoffMax(),
                        retry.punctuateInterval()),
                properties.dlqEnabled(), outcomes, deadLetters, poison,
                InstanceSilence.Settings.from(properties.silence()), silences);
    }
}
