package dev.chatcentral.analytics.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.chatcentral.analytics.topology.AnalyticsListener;
import dev.chatcentral.schemas.metrics.ServiceMetrics;

/**
 * The latest figures of each empresa this instance computes, as Prometheus gauges ({@code /actuator/prometheus},
 * tag {@code empresa}), and the counters of dropped inputs and late events.
 *
 * <p>Every empresa with anything to show gets a snapshot at least once a minute (a new minute window), so figures
 * older than {@link #STALE_AFTER} are another instance's now (its partition moved in a rebalance): the gauges say NaN
 * rather than show them beside that instance's.
 */
@Component
public class ServiceMetricsGauges implements AnalyticsListener {

    static final Duration STALE_AFTER = Duration.ofMinutes(3);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, ServiceMetrics> latest = new ConcurrentHashMap<>();

    @Autowired
    public ServiceMetricsGauges(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    ServiceMetricsGauges(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void rejected(String topic, String reason) {
        Counter.builder("chatcentral.analytics.rejected")
                .description("Input records the analytics tap dropped: unreadable, incomplete or out of range")
                .tag("topic", topic).tag("reason", reason)
                .register(registry).increment();
    }

    @Override
    public void late(String windowSize) {
        Counter.builder("chatcentral.analytics.late")
                .description("Events dropped for a window that had closed (its end plus the grace had passed)")
                .tag("window", windowSize)
                .register(registry).increment();
    }

    @Override
    public void trimmed(String empresaId) {
        Counter.builder("chatcentral.analytics.trimmed")
                .description("Snapshots too large for chat.service.metrics, written without per-atendente details")
                .register(registry).increment();
    }

    @Override
    public void published(ServiceMetrics metrics) {
        if (latest.put(metrics.empresaId(), metrics) == null) {
            register(metrics.empresaId());
        }
    }

    private void register(String empresaId) {
        gauge("chatcentral.analytics.waiting", "Customers waiting for an atendente now", empresaId,
                m -> m.waiting());
        time("chatcentral.analytics.longest.wait", "How long the oldest waiting customer has waited", empresaId,
                m -> m.longestWaitMs());
        time("chatcentral.analytics.first.response.average",
                "Average first response time of the current hour window", empresaId,
                m -> average(hour(m).firstResponseMsSum(), hour(m).firstResponses()));
        time("chatcentral.analytics.first.assignment.average",
                "Average wait for a first atendente in the current hour window", empresaId,
                m -> average(hour(m).firstAssignmentMsSum(), hour(m).assigned()));
        gauge("chatcentral.analytics.sla.breaches", "SLA breaches in the current hour window", empresaId,
                m -> hour(m).slaBreaches());
    }

    private static ServiceMetrics.Figures hour(ServiceMetrics metrics) {
        ServiceMetrics.Window window = metrics.window(ServiceMetrics.HOUR);
        return window == null ? ServiceMetrics.Figures.NONE : window.empresa();
    }

    private static double average(long sum, long count) {
        return count == 0 ? 0 : (double) sum / count;
    }

    private double current(String empresaId, ToDoubleFunction<ServiceMetrics> value) {
        ServiceMetrics metrics = latest.get(empresaId);
        if (metrics == null || metrics.ts().isBefore(clock.instant().minus(STALE_AFTER))) {
            return Double.NaN;
        }
        return value.applyAsDouble(metrics);
    }

    private void gauge(String name, String description, String empresaId, ToDoubleFunction<ServiceMetrics> value) {
        Gauge.builder(name, latest, all -> current(empresaId, value))
                .description(description).tag("empresa", empresaId).register(registry);
    }

    private void time(String name, String description, String empresaId, ToDoubleFunction<ServiceMetrics> ms) {
        TimeGauge.builder(name, latest, TimeUnit.MILLISECONDS, all -> current(empresaId, ms))
                .description(description).tag("empresa", empresaId).register(registry);
    }
}
