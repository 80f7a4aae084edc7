package dev.chatcentral.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SignalPropertiesTest {

    private static final Duration POLL_LINGER = Duration.ofSeconds(5);

    @Test
    void shouldTakeAZeroTypingSignalLingerAsSignallingEveryFrame() {
        assertThat(new SignalProperties(POLL_LINGER, Duration.ZERO).typingSignalLinger()).isZero();
    }

    @Test
    void shouldRefuseANegativeOrHugeTypingSignalLingerNamingTheSetting() {
        assertThatThrownBy(() -> new SignalProperties(POLL_LINGER, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typing-signal-linger");
        assertThatThrownBy(() -> new SignalProperties(POLL_LINGER, Duration.ofMinutes(1).plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typing-signal-linger");
    }
}
