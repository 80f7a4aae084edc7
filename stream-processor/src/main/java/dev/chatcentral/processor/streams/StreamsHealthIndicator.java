package dev.chatcentral.processor.streams;

import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code kafkaStreams}: UP while running or rebalancing, DOWN once the client
 * stopped or failed, with the state of each stream thread and the error that killed them, if any.
 */
@Component("kafkaStreams")
public class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsRunner runner;

    public StreamsHealthIndicator(StreamsRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        KafkaStreams streams = runner.streams();
        if (streams == null) {
            return Health.outOfService().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = streams.state();
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING -> Health.up();
            case CREATED -> Health.unknown();
            default -> Health.down();
        };
        Map<String, String> threads = new TreeMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            threads.put(thread.threadName(), thread.threadState());
        }
        health.withDetail("state", state.name()).withDetail("threads", threads);
        Throwable fatal = runner.fatalError();
        if (fatal != null) {
            health.withDetail("error", fatal.getClass().getName() + ": " + fatal.getMessage());
        }
        return health.build();
    }
}
