package dev.chatcentral.gateway.rest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RestPropertiesTest {

    @Test
    void shouldRefuseDefaultLimitAboveMaxLimit() {
        assertThatThrownBy(() -> new RestProperties(300, 200, Duration.ofSeconds(5), List.of("*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default-limit <= max-limit");
    }

    @Test
    void shouldRefuseLimitBelowOne() {
        assertThatThrownBy(() -> new RestProperties(0, 200, Duration.ofSeconds(5), List.of("*")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestProperties(1, 0, Duration.ofSeconds(5), List.of("*")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseQueryTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new RestProperties(50, 200, Duration.ZERO, List.of("*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query-timeout");
    }
}
