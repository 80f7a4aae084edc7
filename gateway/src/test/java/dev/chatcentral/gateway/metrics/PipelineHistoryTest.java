package dev.chatcentral.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.MetricsSample.Gauges;

class PipelineHistoryTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:05Z");

    private final PipelineHistory history = new PipelineHistory(INTERVAL, Duration.ofHours(1), 4);

    private static MetricsSample processor(String node, Instant at, double queue, double handled, double failed,
                                           double dlq) {
        return new MetricsSample(MetricsSample.PROCESSOR, node, at, Map.of(Gauges.QUEUE_SIZE, queue,
                Gauges.QUEUE_SIZE_OF + "chat.webhooks", queue, Gauges.HANDLED_PER_MINUTE, handled,
                Gauges.FAILED_PER_MINUTE, failed, Gauges.DLQ_SIZE, dlq));
    }

    private static MetricsSample gateway(String node, Instant at, double connections) {
        return new MetricsSample(MetricsSample.GATEWAY, node, at, Map.of(Gauges.CONNECTIONS, connections));
    }

    @Test
    void shouldSumRatesAndConnectionsOverNodesAndTakeLagFromTheLatestProcessor() {
        history.add(processor("p1", NOW.minusSeconds(4), 10, 600, 6, 2), NOW);
        history.add(processor("p2", NOW.minusSeconds(3), 12, 400, 14, 3), NOW);
        history.add(gateway("g1", NOW.minusSeconds(2), 5), NOW);
        history.add(gateway("g2", NOW.minusSeconds(1), 7), NOW);

        QueueFigures.Current current = history.figures(NOW).current();

        assertThat(current.processedPerMinute()).isEqualTo(1000);
        assertThat(current.errorRate()).isEqualTo(2.0);
        assertThat(current.queueSize()).isEqualTo(12);
        assertThat(current.queueSizeByTopic()).containsEntry("chat.webhooks", 12L);
        assertThat(current.dlqSize()).isEqualTo(3);
        assertThat(current.connections()).isEqualTo(12);
        assertThat(current.connectionsByNode()).containsEntry("g1", 5L).containsEntry("g2", 7L);
        assertThat(current.processorNodes()).isEqualTo(2);
    }

    @Test
    void shouldLeaveNodesNotHeardFromForTwoIntervalsOutOfTheCurrentFiguresButKeepThemInTheHistory() {
        history.add(gateway("gone", NOW.minusSeconds(25), 9), NOW);
        history.add(gateway("here", NOW.minusSeconds(1), 1), NOW);

        QueueFigures figures = history.figures(NOW);

        assertThat(figures.current().connectionsByNode()).containsOnlyKeys("here");
        assertThat(figures.history()).extracting(QueueFigures.Point::connections).containsExactly(9L, 1L);
    }

    @Test
    void shouldGiveOnePointPerIntervalWithEachNodesLastSampleInIt() {
        Instant bucket = Instant.parse("2026-11-29T11:30:00Z");
        history.add(gateway("g1", bucket.plusSeconds(1), 3), NOW);
        history.add(gateway("g1", bucket.plusSeconds(6), 4), NOW);
        history.add(gateway("g1", bucket.plusSeconds(11), 5), NOW);

        assertThat(history.figures(NOW).history())
                .containsExactly(new QueueFigures.Point(bucket, 0, 0, 0, 0, 4, Map.of("g1", 4L)),
                        new QueueFigures.Point(bucket.plusSeconds(10), 0, 0, 0, 0, 5, Map.of("g1", 5L)));
    }

    @Test
    void shouldIgnoreSamplesOutsideTheSpanAroundNowOrOlderThanTheirNodesLatest() {
        history.add(gateway("g1", NOW.minus(Duration.ofHours(2)), 1), NOW);
        history.add(gateway("g1", NOW.plus(Duration.ofDays(365)), 2), NOW);
        history.add(gateway("g1", NOW.minusSeconds(2), 3), NOW);
        history.add(gateway("g1", NOW.minusSeconds(8), 4), NOW);
        history.add(new MetricsSample(MetricsSample.GATEWAY, null, NOW, Map.of()), NOW);
        history.add(null, NOW);

        QueueFigures figures = history.figures(NOW);

        assertThat(figures.history()).extracting(QueueFigures.Point::connections).containsExactly(3L);
        assertThat(figures.current().connections()).isEqualTo(3);
    }

    @Test
    void shouldForgetTheNodeHeardFromLeastRecentlyPastTheNodeLimit() {
        for (int n = 0; n < 6; n++) {
            history.add(gateway("g" + n, NOW.minusSeconds(6 - n), 1), NOW);
        }

        assertThat(history.figures(NOW).current().connectionsByNode()).containsOnlyKeys("g2", "g3", "g4", "g5");
    }

    @Test
    void shouldDropSamplesOlderThanTheSpanAsTimePasses() {
        history.add(gateway("g1", NOW.minus(Duration.ofMinutes(59)), 1), NOW);

        assertThat(history.figures(NOW.plus(Duration.ofMinutes(2))).history()).isEmpty();
    }
}
