package dev.chatcentral.processor.sink;

import java.time.Duration;
import java.time.Instant;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.monitoring.QueueMetrics;

/**
 * {@code /actuator/health} component {@code postgresSink}: DOWN while the circuit is open (PostgreSQL refused the
 * last batches, which wait in Kafka to be retried), and when the sink stalls: one batch tried for longer than the
 * stall threshold, or records waiting with nothing written for that long. UP otherwise; with the circuit state, the
 * records waiting, the last successful write and the last refusal.
 */
@Component("postgresSinkHealthIndicator")
class PostgresSinkHealthIndicator implements HealthIndicator {

    private final CircuitBreaker circuitBreaker;
    private final PostgresSink sink;
    private final KafkaListenerEndpointRegistry listeners;
    private final QueueMetrics queue;
    private final ProcessorProperties.Sink properties;
    private final Duration stallThreshold;

    PostgresSinkHealthIndicator(CircuitBreaker postgresSinkCircuitBreaker, PostgresSink sink,
                                KafkaListenerEndpointRegistry listeners, QueueMetrics queue,
                                ProcessorProperties properties) {
        this.circuitBreaker = postgresSinkCircuitBreaker;
        this.sink = sink;
        this.listeners = listeners;
        this.queue = queue;
        this.properties = properties.sink();
        this.stallThreshold = properties.health().sinkStallThreshold();
    }

    @Override
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        CircuitBreaker.State state = circuitBreaker.getState();
        MessageListenerContainer container = listeners.getListenerContainer(SinkConfiguration.LISTENER_ID);
        long waiting = queue.lag(properties.groupId()).values().stream().mapToLong(Long::longValue).sum();
        Duration stalledFor = sink.stalledFor();
        Duration sinceProgress = Duration.between(sink.lastProgressAt(), Instant.now());
        boolean stalled = stalledFor.compareTo(stallThreshold) > 0
                || (waiting > 0 && sinceProgress.compareTo(stallThreshold) > 0);
        boolean circuitOpen = state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
        Health.Builder health = circuitOpen || stalled ? Health.down() : Health.up();
        health.withDetail("circuit", state.name())
                .withDetail("running", container != null && container.isRunning())
                .withDetail("waiting", waiting)
                .withDetail("stalled", stalled)
                .withDetail("oldestWaitingSeconds", sink.oldestWaitingAge().toSeconds());
        Instant lastWrite = sink.lastWriteAt();
        if (lastWrite != null) {
            health.withDetail("lastWriteAt", lastWrite.toString());
        }
        String lastError = sink.lastError();
        if (lastError != null) {
            health.withDetail("lastError", lastError);
        }
        return health.build();
    }
}
