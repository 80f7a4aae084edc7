package dev.chatcentral.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.chatcentral.bench.peers.Options.Comparison;

class OptionsTest {

    @Test
    void shouldRunEveryComparisonWithItsOwnRoundsWhenNothingIsAsked() {
        Options options = Options.parse();

        assertThat(options.comparisons()).containsExactly(Comparison.values());
        assertThat(options.roundsOf(Comparison.LATENCY)).isEqualTo(3);
        assertThat(options.roundsOf(Comparison.ACK)).isEqualTo(2);
        assertThat(options.out()).isEqualTo(Path.of("bench/target/side-by-side"));
    }

    @Test
    void shouldTakeSomeComparisonsInAnyCaseAndOneRoundCountForAll() {
        Options options = Options.parse(" Fanout,ack ", "4", "/tmp/out");

        assertThat(options.comparisons()).containsExactly(Comparison.FANOUT, Comparison.ACK);
        assertThat(options.roundsOf(Comparison.LATENCY)).isEqualTo(4);
        assertThat(options.out()).isEqualTo(Path.of("/tmp/out"));
    }

    @Test
    void shouldRefuseAnUnknownOrEmptyComparisonNamingTheKnownOnes() {
        assertThatThrownBy(() -> Options.parse("latency,"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown comparison ''")
                .hasMessageContaining("ack,latency,idle,fanout");
        assertThatThrownBy(() -> Options.parse(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown comparison");
    }

    @Test
    void shouldShowAHostileComparisonEscapedAndShortened() {
        assertThatThrownBy(() -> Options.parse("ack\u0000" + "x".repeat(600_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ack\\u0000xxx")
                .hasMessageContaining("…")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void shouldRefuseRoundsThatAreNotAWholeNumberFromOneToTen() {
        for (String rounds : new String[] {"0", "-1", "11", "100000", "abc", "1.5", "", "\u0000",
                "99999999999999999999"}) {
            assertThatThrownBy(() -> Options.parse("all", rounds))
                    .as("rounds '%s'", rounds)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds must be");
        }
    }

    @Test
    void shouldRefuseABlankOrNulOutputDirectoryAndExtraArguments() {
        assertThatThrownBy(() -> Options.parse("all", "1", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output directory");
        assertThatThrownBy(() -> Options.parse("all", "1", "a\u0000b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a\\u0000b");
        assertThatThrownBy(() -> Options.parse("all", "1", "out", "more"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most three");
    }
}
