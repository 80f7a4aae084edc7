package dev.chatcentral.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class OnlineHistoryTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private final OnlineHistory history = new OnlineHistory(Duration.ofHours(1), 2);

    @Test
    void shouldSampleOnlyEmpresasAskedForAndStartTheirTrendEmpty() {
        assertThat(history.watch("emp-a", NOW)).isEmpty();
        history.record("emp-a", new OnlineCount(NOW.plusSeconds(10), 3));
        history.record("emp-b", new OnlineCount(NOW.plusSeconds(10), 5));

        assertThat(history.watched(NOW.plusSeconds(20))).containsExactly("emp-a");
        assertThat(history.watch("emp-a", NOW.plusSeconds(20))).containsExactly(new OnlineCount(NOW.plusSeconds(10), 3));
    }

    @Test
    void shouldForgetTheEmpresaAskedForLeastRecentlyPastTheLimit() {
        history.watch("emp-a", NOW);
        history.watch("emp-b", NOW.plusSeconds(1));
        history.watch("emp-a", NOW.plusSeconds(2));
        history.watch("emp-c", NOW.plusSeconds(3));

        assertThat(history.watched(NOW.plusSeconds(4))).containsExactlyInAnyOrder("emp-a", "emp-c");
    }

    @Test
    void shouldStopSamplingAnEmpresaNobodyAskedForWithinTheSpanAndKeepOnlyTheSpan() {
        history.watch("emp-a", NOW);
        history.record("emp-a", new OnlineCount(NOW, 1));
        history.record("emp-a", new OnlineCount(NOW.plus(Duration.ofMinutes(61)), 2));

        assertThat(history.watch("emp-a", NOW.plus(Duration.ofMinutes(61))))
                .containsExactly(new OnlineCount(NOW.plus(Duration.ofMinutes(61)), 2));
        assertThat(history.watched(NOW.plus(Duration.ofMinutes(122)))).isEmpty();
    }
}
