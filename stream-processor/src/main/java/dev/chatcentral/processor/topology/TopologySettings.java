package dev.chatcentral.processor.topology;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the topology is built with.
 *
 * @param dedupeWindow        how long a WhatsApp message id is remembered to drop redeliveries
 * @param dedupePurgeInterval how often (wall clock) ids older than the window are forgotten
 * @param outcomes            told the outcome of every input record, for metrics
 */
public record TopologySettings(Duration dedupeWindow, Duration dedupePurgeInterval,
                               Consumer<WebhookOutcome> outcomes) {
}
