package dev.chatcentral.processor.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PerMinuteRateTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void shouldReportZeroUntilTwoSamplesExist() {
        PerMinuteRate rate = new PerMinuteRate();
        assertThat(rate.perMinute()).isZero();
        rate.sample(0, 500);
        assertThat(rate.perMinute()).isZero();
    }

    @Test
    void shouldScaleShortSpanToOneMinute() {
        PerMinuteRate rate = new PerMinuteRate();
        rate.sample(0, 0);
        rate.sample(10 * SECOND, 100);
        assertThat(rate.perMinute()).isCloseTo(600, within(0.001));
    }

    @Test
    void shouldForgetGrowthOlderThanAMinute() {
        PerMinuteRate rate = new PerMinuteRate();
        rate.sample(0, 0);
        rate.sample(10 * SECOND, 10_000); // a burst long ago
        for (int s = 20; s <= 120; s += 10) {
            rate.sample(s * SECOND, 10_000 + (s - 10) * 2L); // then 2 per second
        }
        assertThat(rate.perMinute()).isCloseTo(120, within(0.001));
    }
}
