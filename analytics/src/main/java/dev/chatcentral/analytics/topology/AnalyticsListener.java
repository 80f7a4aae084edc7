package dev.chatcentral.analytics.topology;

import dev.chatcentral.schemas.metrics.ServiceMetrics;

/** What the topology tells the application about, for its metrics. */
public interface AnalyticsListener {

    AnalyticsListener NONE = new AnalyticsListener() {
    };

    /** An input record dropped: unreadable, missing what the figures need, or out of range. */
    default void rejected(String topic, String reason) {
    }

    /** An event dropped for one window size because that window had closed (its end plus the grace had passed). */
    default void late(String windowSize) {
    }

    /** An empresa's figures too large for the topic, written without their per-atendente details. */
    default void trimmed(String empresaId) {
    }

    /** An empresa's figures written to {@code chat.service.metrics}. */
    default void published(ServiceMetrics metrics) {
    }
}
