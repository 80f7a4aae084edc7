package dev.chatcentral.processor.presence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the presence topology. With the defaults, the users of a dead gateway node go offline within
 * {@code nodeTimeout + cleanupInterval + grace + cleanupInterval} = 13 s (DESIGN.md: 15 s), and typing stops
 * within {@code typingTimeout + cleanupInterval} of the last start.
 *
 * @param enabled          whether this instance runs the presence topology (off: conversas alone, to scale apart)
 * @param applicationId    its Kafka Streams application.id, apart from the conversas' so each fails and scales alone
 * @param numStreamThreads stream threads of this instance
 * @param commitInterval   how often a transaction commits; presence changes reach browsers only after it (typing
 *                         takes the fast lane, {@code chat.ephemeral}, and does not wait for it)
 * @param cleanupInterval  how often expiries are checked (env PRESENCE_CLEANUP_INTERVAL, the seed's name; a bare
 *                         number is milliseconds, as in the seed)
 * @param grace            how long a user whose last session closed stays online (env PRESENCE_GRACE)
 * @param typingTimeout    how long typing lasts without a new start or a stop (env TYPING_TIMEOUT)
 * @param nodeTimeout      how old a gateway node's latest heartbeat may get before its sessions expire (env
 *                         NODE_TIMEOUT); nodes beat every 2 s
 */
@ConfigurationProperties("chatcentral.processor.presence")
public record PresenceProperties(
        boolean enabled,
        String applicationId,
        int numStreamThreads,
        Duration commitInterval,
        Duration cleanupInterval,
        Duration grace,
        Duration typingTimeout,
        Duration nodeTimeout) {

    public PresenceProperties {
        positive(cleanupInterval, "cleanup-interval");
        positive(typingTimeout, "typing-timeout");
        positive(nodeTimeout, "node-timeout");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("chatcentral.processor.presence.grace must not be negative");
        }
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("chatcentral.processor.presence." + name + " must be positive");
        }
    }
}
