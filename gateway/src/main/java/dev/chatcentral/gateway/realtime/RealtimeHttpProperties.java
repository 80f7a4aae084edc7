package dev.chatcentral.gateway.realtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP fallbacks {@code /realtime/sse} and {@code /realtime/poll}; the limits shared with the WebSocket are in
 * {@link dev.chatcentral.gateway.delivery.SessionProperties}.
 *
 * @param pollTimeout   longest a long-poll is held when no event arrives
 * @param pollMaxEvents most events in one long-poll answer (an event on several channels is never split)
 * @param readyTimeout  longest a request waits for its empresa's events to be read
 */
@ConfigurationProperties("chatcentral.gateway.realtime")
public record RealtimeHttpProperties(
        Duration pollTimeout,
        int pollMaxEvents,
        @DefaultValue("5s") Duration readyTimeout) {
}
