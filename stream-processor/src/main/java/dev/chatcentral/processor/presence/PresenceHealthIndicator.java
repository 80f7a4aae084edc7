package dev.chatcentral.processor.presence;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code presenceStreams}: UP while the presence client runs or rebalances,
 * DOWN once it stopped or failed, with its threads' states and the error that killed them, if any.
 */
@Component("presenceStreams")
@ConditionalOnBooleanProperty(name = "chatcentral.processor.presence.enabled", matchIfMissing = true)
public class PresenceHealthIndicator implements HealthIndicator {

    private final PresenceStreamsRunner runner;

    public PresenceHealthIndicator(PresenceStreamsRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        return runner.client().health();
    }
}
