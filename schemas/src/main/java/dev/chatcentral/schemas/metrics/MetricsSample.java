package dev.chatcentral.schemas.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * One node's operational figures at one moment, as kept in {@code chat.metrics} (key = nodeId) for the console's
 * queue page and for anyone tapping the pipeline's health. Every stream-processor and gateway node writes one every
 * refresh interval (10 s by default); the topic keeps about two hours, so a node that starts can draw the last hour.
 *
 * <p>The figures are gauges named in {@link Gauges}; a node writes only those of its {@code source}.
 *
 * @param source {@link #PROCESSOR} or {@link #GATEWAY}
 * @param ts     when the figures were read (the node's clock)
 */
public record MetricsSample(String source, String nodeId, Instant ts, Map<String, Double> gauges) {

    public static final String PROCESSOR = "processor";
    public static final String GATEWAY = "gateway";

    public MetricsSample {
        gauges = Map.copyOf(gauges);
    }

    /** The gauge named {@code name}, or 0 when this sample does not carry it. */
    public double gauge(String name) {
        return gauges.getOrDefault(name, 0.0);
    }

    /** The names of the gauges. */
    public static final class Gauges {

        /** Processor: records not yet consumed by the pipeline (the topology's and the sink's lag), all topics. */
        public static final String QUEUE_SIZE = "queue.size";
        /** Processor: the prefix of the lag of one input topic, e.g. {@code queue.size.chat.webhooks}. */
        public static final String QUEUE_SIZE_OF = "queue.size.";
        /** Processor: webhooks this node handled (any outcome) over the last minute. */
        public static final String HANDLED_PER_MINUTE = "handled.per.minute";
        /** Processor: webhooks this node gave up on (dead-lettered or dropped) over the last minute. */
        public static final String FAILED_PER_MINUTE = "failed.per.minute";
        /** Processor: records this node wrote to PostgreSQL over the last minute. */
        public static final String WRITTEN_PER_MINUTE = "written.per.minute";
        /** Processor: records held in {@code chat.dlq}, every empresa's, as the broker counts them. */
        public static final String DLQ_SIZE = "dlq.size";
        /** Gateway: connections open on this node, over every transport. */
        public static final String CONNECTIONS = "connections";

        private Gauges() {
        }
    }
}
