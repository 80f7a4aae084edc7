package dev.chatcentral.analytics.topology;

import java.time.Duration;

/**
 * What the analytics topology is built with.
 *
 * @param publishInterval how often (wall clock) figures are written and waiting conversas checked against targets
 * @param grace           how long after its end a window still takes late events
 * @param maxClockSkew    how far ahead of the wall clock an event time may be
 * @param dedupeRetention how long a mensagemId is remembered
 * @param sla             the targets per empresa
 * @param maxRecordBytes  the largest snapshot (key, value and headers) to write: a larger one is written without
 *                        its per-atendente details ({@link AnalyticsTopology#MAX_RECORD_BYTES} for the topic's limit)
 * @param listener        told of rejected inputs, late events and every snapshot written
 */
public record AnalyticsSettings(Duration publishInterval, Duration grace, Duration maxClockSkew,
                                Duration dedupeRetention, SlaTargets sla, int maxRecordBytes,
                                AnalyticsListener listener) {
}
