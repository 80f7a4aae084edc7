package dev.chatcentral.localstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlServerTest {

    @Test
    void shouldTakeWholeSecondsWithinAnHour() {
        assertThat(ControlServer.parseSeconds("30")).isEqualTo(30);
        assertThat(ControlServer.parseSeconds("1")).isEqualTo(1);
        assertThat(ControlServer.parseSeconds("3600")).isEqualTo(3600);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "3601", "9999", "-5", "1.5", "30s", "99999999999999999999", "3\u00000", " 30"})
    void shouldRefuseAnythingElseNamingIt(String text) {
        assertThatThrownBy(() -> ControlServer.parseSeconds(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds, 1 to 3600").hasMessageNotContaining("\u0000");
    }

    @Test
    void shouldRefuseNoValue() {
        assertThatThrownBy(() -> ControlServer.parseSeconds(null)).hasMessageContaining("not nothing");
    }
}
