package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The seed's ConnectionMetrics, per node (every meter carries the {@code node} tag): connections opened and active
 * per transport, resumes (the reconnection rate), delivery latency, error frames and closes by code, refusals.
 */
@Component
public class RealtimeMetrics {

    public static final String OPENED = "chatcentral.gateway.connections.opened";
    public static final String ACTIVE = "chatcentral.gateway.connections.active";
    public static final String REFUSED = "chatcentral.gateway.connections.refused";
    public static final String RESUMES = "chatcentral.gateway.resumes";
    public static final String LATENCY = "chatcentral.gateway.delivery.latency";
    public static final String ERRORS = "chatcentral.gateway.errors";
    public static final String CLOSES = "chatcentral.gateway.closes";

    private final MeterRegistry registry;
    private final Timer latency;

    public RealtimeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder(LATENCY)
                .description("event ts to the frame written to the client")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    void active(Transport transport, Supplier<Number> count) {
        Gauge.builder(ACTIVE, count).tag("transport", transport.tag()).register(registry);
    }

    void opened(Transport transport) {
        registry.counter(OPENED, "transport", transport.tag()).increment();
    }

    public void refused(String reason) {
        registry.counter(REFUSED, "reason", reason).increment();
    }

    void resumed(boolean recovered) {
        registry.counter(RESUMES, "recovered", Boolean.toString(recovered)).increment();
    }

    void delivered(Instant eventTs) {
        if (eventTs != null) {
            Duration age = Duration.between(eventTs, Instant.now());
            latency.record(age.isNegative() ? Duration.ZERO : age);
        }
    }

    public void error(String code) {
        registry.counter(ERRORS, "code", code).increment();
    }

    void closed(int code) {
        registry.counter(CLOSES, "code", Integer.toString(code)).increment();
    }
}
