package dev.chatcentral.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void shouldTakeTheMiddleRunOrTheMeanOfTheTwoMiddleOnesIgnoringMissingRuns() {
        double[] runs = {30, 10, 20};
        assertThat(Stats.median(runs)).isEqualTo(20);
        assertThat(runs).containsExactly(30, 10, 20);
        assertThat(Stats.median(new double[] {40, 10, 30, 20})).isEqualTo(25);
        assertThat(Stats.median(new double[] {Double.NaN, 7})).isEqualTo(7);
        assertThat(Stats.median(new double[0])).isNaN();
        assertThat(Stats.median(new double[] {Double.NaN})).isNaN();
    }

    @Test
    void shouldTakeTheNearestRankPercentileInMillisecondsWithoutReorderingTheSamples() {
        long[] micros = {5_000, 1_000, 3_000, 2_000, 4_000};

        assertThat(Stats.percentileMillis(micros, 50)).isEqualTo(3.0);
        assertThat(Stats.percentileMillis(micros, 99)).isEqualTo(5.0);
        assertThat(Stats.percentileMillis(micros, 0)).isEqualTo(1.0);
        assertThat(micros).containsExactly(5_000, 1_000, 3_000, 2_000, 4_000);
        assertThat(Stats.percentileMillis(new long[0], 50)).isNaN();
    }

    @Test
    void shouldPairRunsOfTheSameRoundOnlyAsFarAsBothHaveThem() {
        assertThat(Stats.pairRatios(new double[] {10, 30, 50}, new double[] {5, 10})).containsExactly(2.0, 3.0);
    }
}
