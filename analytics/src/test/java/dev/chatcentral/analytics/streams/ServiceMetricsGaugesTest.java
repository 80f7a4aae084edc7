package dev.chatcentral.analytics.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.metrics.ServiceMetrics.Figures;

class ServiceMetricsGaugesTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:30:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Instant clock = NOW;
    private final ServiceMetricsGauges gauges = new ServiceMetricsGauges(registry,
            new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return clock;
                }
            });

    private static ServiceMetrics metrics(String empresaId, Instant ts, int waiting) {
        // the hour: 3 first responses taking 12 s in all, 2 breaches; 2 assignments waiting 50 s in all
        Figures hour = new Figures(2, 50_000, 30_000, 3, 12_000, 6_000, 0, 0, 0, 4, 3, 2);
        return new ServiceMetrics(empresaId, ts, waiting, 45_000, List.of(
                new ServiceMetrics.Window(ServiceMetrics.MINUTE, ts.truncatedTo(ChronoUnit.MINUTES),
                        ts.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60), Figures.NONE, List.of()),
                new ServiceMetrics.Window(ServiceMetrics.HOUR, ts.truncatedTo(ChronoUnit.HOURS),
                        ts.truncatedTo(ChronoUnit.HOURS).plusSeconds(3600), hour, List.of())), List.of());
    }

    private double gauge(String name, String empresaId) {
        return registry.get(name).tag("empresa", empresaId).gauge().value();
    }

    @Test
    void shouldShowEachEmpresasLatestFigures() {
        gauges.published(metrics("emp-1", NOW, 2));
        gauges.published(metrics("emp-2", NOW, 0));
        gauges.published(metrics("emp-1", NOW, 3));

        assertThat(gauge("chatcentral.analytics.waiting", "emp-1")).isEqualTo(3);
        assertThat(gauge("chatcentral.analytics.waiting", "emp-2")).isZero();
        assertThat(gauge("chatcentral.analytics.sla.breaches", "emp-1")).isEqualTo(2);
        assertThat(registry.get("chatcentral.analytics.longest.wait").tag("empresa", "emp-1").timeGauge()
                .value(TimeUnit.SECONDS)).isEqualTo(45);
        assertThat(registry.get("chatcentral.analytics.first.response.average").tag("empresa", "emp-1").timeGauge()
                .value(TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(registry.get("chatcentral.analytics.first.assignment.average").tag("empresa", "emp-1")
                .timeGauge().value(TimeUnit.SECONDS)).isEqualTo(25);
    }

    @Test
    void shouldShowNothingForAnEmpresaWhoseFiguresThisInstanceNoLongerComputes() {
        gauges.published(metrics("emp-1", NOW, 2));

        clock = NOW.plus(ServiceMetricsGauges.STALE_AFTER);
        assertThat(gauge("chatcentral.analytics.waiting", "emp-1")).isEqualTo(2);
        clock = clock.plusSeconds(1);
        assertThat(gauge("chatcentral.analytics.waiting", "emp-1")).isNaN();
    }
}
