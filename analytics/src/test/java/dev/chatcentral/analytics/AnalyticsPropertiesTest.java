package dev.chatcentral.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.chatcentral.analytics.topology.SlaTargets;

class AnalyticsPropertiesTest {

    private static AnalyticsProperties bind(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "chatcentral.analytics.application-id", "chat-central-analytics",
                "chatcentral.analytics.state-dir", "/tmp/analytics",
                "chatcentral.analytics.num-stream-threads", "1",
                "chatcentral.analytics.commit-interval", "1s",
                "chatcentral.analytics.publish-interval", "5s",
                "chatcentral.analytics.grace", "2m",
                "chatcentral.analytics.max-clock-skew", "1m",
                "chatcentral.analytics.dedupe-retention", "7d",
                "chatcentral.analytics.sla.first-assignment", "2m",
                "chatcentral.analytics.sla.first-response", "5m"));
        values.putAll(extra);
        return new Binder(new MapConfigurationPropertySource(values))
                .bind("chatcentral.analytics", AnalyticsProperties.class).get();
    }

    @Test
    void shouldGiveEachEmpresaItsOwnTargetsAndTheDefaultsForTheRest() {
        SlaTargets targets = bind(Map.of(
                "chatcentral.analytics.sla.empresas.[emp-rapida].first-response", "1m",
                "chatcentral.analytics.sla.empresas.[emp-lenta].first-assignment", "10m")).sla().targets();

        assertThat(targets.of("emp-rapida")).isEqualTo(new SlaTargets.Targets(Duration.ofMinutes(2),
                Duration.ofMinutes(1)));
        assertThat(targets.of("emp-lenta")).isEqualTo(new SlaTargets.Targets(Duration.ofMinutes(10),
                Duration.ofMinutes(5)));
        assertThat(targets.of("emp-qualquer")).isEqualTo(new SlaTargets.Targets(Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
    }

    @Test
    void shouldRefuseATargetThatIsNotPositive() {
        assertThatThrownBy(() -> bind(Map.of("chatcentral.analytics.sla.empresas.[emp-1].first-response", "0s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("first-response");
        assertThatThrownBy(() -> bind(Map.of("chatcentral.analytics.sla.first-assignment", "-1m")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("first-assignment");
    }
}
