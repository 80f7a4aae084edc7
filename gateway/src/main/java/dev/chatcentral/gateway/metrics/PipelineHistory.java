package dev.chatcentral.gateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.MetricsSample.Gauges;

/**
 * The last hour of every node's figures, as read from {@code chat.metrics}, folded into the deployment's queue
 * figures per refresh interval: lag and the DLQ's size are the broker's (any processor's latest reading is the
 * deployment's), rates and connections are each node's own (summed over nodes).
 *
 * <p>Thread-safe: the reader adds, request threads read.
 */
final class PipelineHistory {

    private final Duration interval;
    private final Duration span;
    private final int maxNodes;
    /** Per node, its samples oldest first; in access order, so the node heard from least recently goes first. */
    private final LinkedHashMap<String, Deque<MetricsSample>> byNode = new LinkedHashMap<>(16, 0.75f, true);

    PipelineHistory(Duration interval, Duration span, int maxNodes) {
        this.interval = interval;
        this.span = span;
        this.maxNodes = maxNodes;
    }

    /**
     * Keeps {@code sample} unless it is incomplete, outside the span around {@code now} (a node whose clock is far
     * off must not hold a series), or older than its node's latest.
     */
    synchronized void add(MetricsSample sample, Instant now) {
        if (sample == null || sample.nodeId() == null || sample.ts() == null || sample.source() == null
                || sample.ts().isBefore(now.minus(span)) || sample.ts().isAfter(now.plus(interval))) {
            return;
        }
        Deque<MetricsSample> samples = byNode.computeIfAbsent(node(sample), k -> new ArrayDeque<>());
        if (!samples.isEmpty() && sample.ts().isBefore(samples.peekLast().ts())) {
            return;
        }
        samples.addLast(sample);
        Instant oldest = sample.ts().minus(span);
        while (samples.peekFirst().ts().isBefore(oldest)) {
            samples.removeFirst();
        }
        if (byNode.size() > maxNodes) {
            byNode.remove(byNode.keySet().iterator().next());
        }
    }

    /** The figures at {@code now}: the latest of each node within two intervals, and one point per interval. */
    synchronized QueueFigures figures(Instant now) {
        Instant from = now.minus(span);
        List<MetricsSample> all = new ArrayList<>();
        byNode.values().forEach(samples -> samples.stream().filter(s -> !s.ts().isBefore(from)).forEach(all::add));
        TreeMap<Long, Map<String, MetricsSample>> buckets = new TreeMap<>();
        for (MetricsSample sample : all) {
            long bucket = sample.ts().toEpochMilli() / interval.toMillis();
            // within one interval, a node's last sample stands for it
            buckets.computeIfAbsent(bucket, b -> new LinkedHashMap<>())
                    .merge(node(sample), sample, PipelineHistory::later);
        }
        List<QueueFigures.Point> points = new ArrayList<>();
        buckets.forEach((bucket, samples) -> points.add(point(Instant.ofEpochMilli(bucket * interval.toMillis()),
                samples.values())));
        Map<String, MetricsSample> live = new LinkedHashMap<>();
        Instant fresh = now.minus(interval.multipliedBy(2));
        for (MetricsSample sample : all) {
            if (!sample.ts().isBefore(fresh)) {
                live.merge(node(sample), sample, PipelineHistory::later);
            }
        }
        return new QueueFigures(now, current(now, live.values()), points);
    }

    /** A node of one kind: a processor and a gateway may share a node id. */
    private static String node(MetricsSample sample) {
        return sample.source() + "/" + sample.nodeId();
    }

    private static MetricsSample later(MetricsSample a, MetricsSample b) {
        return b.ts().isAfter(a.ts()) ? b : a;
    }

    private static QueueFigures.Point point(Instant at, Iterable<MetricsSample> samples) {
        Folded f = fold(samples);
        return new QueueFigures.Point(at, f.queueSize, f.handled, f.errorRate(), f.dlqSize, f.connections,
                f.connectionsByNode);
    }

    private static QueueFigures.Current current(Instant now, Iterable<MetricsSample> samples) {
        Folded f = fold(samples);
        return new QueueFigures.Current(now, f.queueSize, f.queueByTopic, f.handled, f.written, f.errorRate(),
                f.dlqSize, f.connections, f.connectionsByNode, f.processorNodes);
    }

    private static Folded fold(Iterable<MetricsSample> samples) {
        Folded f = new Folded();
        MetricsSample latestProcessor = null;
        for (MetricsSample s : samples) {
            if (MetricsSample.PROCESSOR.equals(s.source())) {
                f.processorNodes++;
                f.handled += s.gauge(Gauges.HANDLED_PER_MINUTE);
                f.failed += s.gauge(Gauges.FAILED_PER_MINUTE);
                f.written += s.gauge(Gauges.WRITTEN_PER_MINUTE);
                if (latestProcessor == null || s.ts().isAfter(latestProcessor.ts())) {
                    latestProcessor = s;
                }
            } else if (MetricsSample.GATEWAY.equals(s.source())) {
                long connections = (long) s.gauge(Gauges.CONNECTIONS);
                f.connections += connections;
                f.connectionsByNode.put(s.nodeId(), connections);
            }
        }
        if (latestProcessor != null) {
            f.queueSize = (long) latestProcessor.gauge(Gauges.QUEUE_SIZE);
            f.dlqSize = (long) latestProcessor.gauge(Gauges.DLQ_SIZE);
            latestProcessor.gauges().forEach((name, value) -> {
                if (name.startsWith(Gauges.QUEUE_SIZE_OF)) {
                    f.queueByTopic.put(name.substring(Gauges.QUEUE_SIZE_OF.length()), value.longValue());
                }
            });
        }
        return f;
    }

    private static final class Folded {
        long queueSize;
        final Map<String, Long> queueByTopic = new TreeMap<>();
        double handled;
        double failed;
        double written;
        long dlqSize;
        long connections;
        final Map<String, Long> connectionsByNode = new TreeMap<>();
        int processorNodes;

        double errorRate() {
            return handled <= 0 ? 0 : 100 * failed / handled;
        }
    }
}
