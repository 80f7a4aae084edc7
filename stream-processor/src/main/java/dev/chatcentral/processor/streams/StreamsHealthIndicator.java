package dev.chatcentral.processor.streams;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component {@code kafkaStreams}: the conversa topology's client (see StreamsClient). */
@Component("kafkaStreams")
public class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsRunner runner;

    public StreamsHealthIndicator(StreamsRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        return runner.client().health();
    }
}
