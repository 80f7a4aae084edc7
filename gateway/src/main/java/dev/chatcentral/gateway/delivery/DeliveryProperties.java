package dev.chatcentral.gateway.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How {@code chat.events} is read, live and for replays.
 *
 * @param pollTimeout           longest a poll waits for records; assignment changes interrupt it at once
 * @param replayTimeout         longest a replay (subscribe with {@code since}) may take before it is given up
 * @param replayConcurrency     replays running at once on this node; more wait their turn, empresas in turn
 * @param replayStallTimeout    longest a replay waits for a client that reads nothing of its half-full send queue;
 *                              then the client is closed as too slow (4500) and the replay thread serves others
 * @param replayQueuePerEmpresa sessions of one empresa waiting at most for a replay thread (a session's resumes
 *                              wait as one); a resume beyond it is refused with {@code unavailable}
 * @param typingTimeout         how long typing lasts without news (the processor's {@code TYPING_TIMEOUT}): a
 *                              {@code typing_start} of the fast lane older than this is not shown, it would be stale
 */
@ConfigurationProperties("chatcentral.gateway.delivery")
public record DeliveryProperties(
        Duration pollTimeout,
        Duration replayTimeout,
        int replayConcurrency,
        Duration replayStallTimeout,
        int replayQueuePerEmpresa,
        Duration typingTimeout) {
}
