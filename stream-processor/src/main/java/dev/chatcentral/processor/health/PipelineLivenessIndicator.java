package dev.chatcentral.processor.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.stereotype.Component;

import dev.chatcentral.processor.ProcessorProperties;

/**
 * {@code /actuator/health} component {@code pipelineLiveness}, in the liveness group: DOWN once the pipeline's
 * readiness components (the Kafka Streams clients, the sink) have been DOWN for longer than the grace period, so an
 * orchestrator restarts a processor that stopped making progress instead of leaving it to look alive. Readiness goes
 * DOWN at once; liveness waits, since a restart costs a rebalance and a PostgreSQL outage is not cured by one.
 * The period is measured between health checks, which orchestrators make every few seconds.
 */
@Component("pipelineLiveness")
class PipelineLivenessIndicator implements HealthIndicator {

    /** The components whose readiness this follows, by their health names. */
    static final List<String> COMPONENTS = List.of("kafkaStreams", "presenceStreams", "postgresSink");

    /** Looked up at each check: the registry is built from every indicator, this one included. */
    private final ObjectProvider<HealthContributorRegistry> registry;
    private final Duration grace;
    private volatile Instant unreadySince;

    PipelineLivenessIndicator(ObjectProvider<HealthContributorRegistry> registry, ProcessorProperties properties) {
        this.registry = registry;
        this.grace = properties.health().livenessGrace();
    }

    @Override
    public Health health() {
        HealthContributorRegistry contributors = registry.getObject();
        List<String> down = COMPONENTS.stream()
                .filter(name -> contributors.getContributor(name) instanceof HealthIndicator indicator
                        && !Status.UP.equals(indicator.health().getStatus()))
                .toList();
        if (down.isEmpty()) {
            unreadySince = null;
            return Health.up().build();
        }
        Instant now = Instant.now();
        if (unreadySince == null) {
            unreadySince = now;
        }
        Duration unready = Duration.between(unreadySince, now);
        Health.Builder health = unready.compareTo(grace) > 0 ? Health.down() : Health.up();
        return health.withDetail("unready", down).withDetail("unreadyForSeconds", unready.toSeconds()).build();
    }
}
