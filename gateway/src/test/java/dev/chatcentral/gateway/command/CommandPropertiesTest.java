package dev.chatcentral.gateway.command;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CommandPropertiesTest {

    @Test
    void shouldRefuseAckTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new CommandProperties(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ack-timeout");
        assertThatThrownBy(() -> new CommandProperties(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ack-timeout");
    }
}
