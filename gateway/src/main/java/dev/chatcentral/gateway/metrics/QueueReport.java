package dev.chatcentral.gateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/v1/metrics/queue}: the deployment's queue figures now and over the history, with the
 * caller's empresa's online atendentes.
 *
 * @param queueSize          records the pipeline has not consumed yet, every input topic
 * @param lag                the same per input topic
 * @param processingRate     webhooks handled over the last minute, every processor node
 * @param writtenPerMinute   records written to PostgreSQL over the last minute, every processor node
 * @param errorRate          percent of the last minute's webhooks given up on (dead-lettered or dropped)
 * @param dlqSize            records held in the DLQ, every empresa's
 * @param onlineAtendentes   the empresa's atendentes online now
 * @param connections        open connections per gateway node heard from within two refresh intervals
 * @param processorNodes     processor nodes heard from within two refresh intervals
 * @param history            one point per refresh interval, oldest first
 */
public record QueueReport(Instant ts, long queueSize, List<TopicLag> lag, double processingRate,
                          double writtenPerMinute, double errorRate, long dlqSize, int onlineAtendentes,
                          List<NodeConnections> connections, int processorNodes, List<Point> history) {

    public record TopicLag(String topic, long lag) {
    }

    public record NodeConnections(String node, long connections) {
    }

    /**
     * The figures of one refresh interval, starting {@code ts}.
     *
     * @param onlineAtendentes the empresa's online atendentes as this node last sampled them by the interval's end;
     *                         null before this node sampled the empresa
     * @param connections      open connections per gateway node
     */
    public record Point(Instant ts, long queueSize, double processingRate, double errorRate, long dlqSize,
                        Integer onlineAtendentes, Map<String, Long> connections) {
    }

    /** Folds the pipeline's figures with the empresa's online counts, which this node samples apart. */
    static QueueReport of(QueueFigures figures, List<OnlineCount> online, int onlineNow, Duration interval) {
        QueueFigures.Current current = figures.current();
        List<Point> history = new ArrayList<>();
        int next = 0;
        OnlineCount latest = null;
        for (QueueFigures.Point point : figures.history()) {
            Instant end = point.at().plus(interval);
            while (next < online.size() && online.get(next).at().isBefore(end)) {
                latest = online.get(next++);
            }
            history.add(new Point(point.at(), point.queueSize(), point.processedPerMinute(), point.errorRate(),
                    point.dlqSize(), latest == null ? null : latest.online(), point.connectionsByNode()));
        }
        return new QueueReport(figures.at(), current.queueSize(),
                current.queueSizeByTopic().entrySet().stream().map(e -> new TopicLag(e.getKey(), e.getValue()))
                        .toList(),
                current.processedPerMinute(), current.writtenPerMinute(), current.errorRate(), current.dlqSize(),
                onlineNow,
                current.connectionsByNode().entrySet().stream()
                        .map(e -> new NodeConnections(e.getKey(), e.getValue())).toList(),
                current.processorNodes(), history);
    }
}
