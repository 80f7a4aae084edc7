package dev.chatcentral.gateway.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The deployment's queue figures now and one point per refresh interval over the last hour, folded from every
 * node's {@code chat.metrics} samples.
 *
 * @param current the latest figures (from nodes heard from within two refresh intervals)
 * @param history one point per refresh interval, oldest first; an interval no node reported in has no point
 */
public record QueueFigures(Instant at, Current current, List<Point> history) {

    /**
     * @param queueSize          records the pipeline has not consumed yet, every input topic
     * @param queueSizeByTopic   the same per topic
     * @param processedPerMinute webhooks handled over the last minute, every processor node
     * @param writtenPerMinute   records written to PostgreSQL over the last minute, every processor node
     * @param errorRate          percent of the last minute's webhooks given up on (dead-lettered or dropped)
     * @param dlqSize            records held in the DLQ, every empresa's
     * @param connections        open connections, every gateway node
     * @param connectionsByNode  open connections per gateway node
     * @param processorNodes     processor nodes reporting
     */
    public record Current(Instant at, long queueSize, Map<String, Long> queueSizeByTopic, double processedPerMinute,
                          double writtenPerMinute, double errorRate, long dlqSize, long connections,
                          Map<String, Long> connectionsByNode, int processorNodes) {
    }

    /** The figures of one refresh interval, starting {@code at}. */
    public record Point(Instant at, long queueSize, double processedPerMinute, double errorRate, long dlqSize,
                        long connections, Map<String, Long> connectionsByNode) {
    }
}
