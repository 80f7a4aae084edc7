package dev.chatcentral.gateway.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@code chat.events} is read, live and for replays.
 *
 * @param pollTimeout       longest a poll waits for records; assignment changes interrupt it at once
 * @param replayTimeout     longest a replay (subscribe with {@code since}) may take before it is given up
 * @param replayConcurrency replays running at once on this node; more wait their turn
 */
@ConfigurationProperties("chatcentral.gateway.delivery")
public record DeliveryProperties(
        @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue("10s") Duration replayTimeout,
        @DefaultValue("4") int replayConcurrency) {
}
