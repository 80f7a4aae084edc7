package dev.chatcentral.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QueueReportTest {

    private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private static QueueFigures.Point point(Instant at) {
        return new QueueFigures.Point(at, 1, 2, 3, 4, 5, Map.of("g1", 5L));
    }

    @Test
    void shouldGiveEachPointTheLastOnlineCountSampledByItsEndAndNoneBeforeTheFirst() {
        QueueFigures figures = new QueueFigures(T.plusSeconds(40), new QueueFigures.Current(T.plusSeconds(40), 7,
                Map.of("chat.webhooks", 7L), 60, 50, 1.5, 2, 3, Map.of("g1", 3L), 1),
                List.of(point(T), point(T.plusSeconds(10)), point(T.plusSeconds(20)), point(T.plusSeconds(30))));
        List<OnlineCount> online = List.of(new OnlineCount(T.plusSeconds(12), 2), new OnlineCount(T.plusSeconds(15), 3),
                new OnlineCount(T.plusSeconds(31), 4));

        QueueReport report = QueueReport.of(figures, online, 4, INTERVAL);

        assertThat(report.history()).extracting(QueueReport.Point::onlineAtendentes)
                .containsExactly(null, 3, 3, 4);
        assertThat(report.queueSize()).isEqualTo(7);
        assertThat(report.lag()).containsExactly(new QueueReport.TopicLag("chat.webhooks", 7));
        assertThat(report.connections()).containsExactly(new QueueReport.NodeConnections("g1", 3));
        assertThat(report.onlineAtendentes()).isEqualTo(4);
        assertThat(report.history().get(0).connections()).containsEntry("g1", 5L);
    }
}
