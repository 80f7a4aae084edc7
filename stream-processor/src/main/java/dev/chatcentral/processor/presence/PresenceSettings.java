package dev.chatcentral.processor.presence;

import java.time.Duration;

/**
 * What the presence topology is built with.
 *
 * @param cleanupInterval how often (wall clock) dead nodes' sessions, ended grace periods and stale typing expire
 * @param grace           how long a user whose last session closed stays online, so a reload does not flap
 * @param typingTimeout   how long typing lasts without a new start or a stop
 * @param nodeTimeout     how old a node's latest heartbeat may get before its sessions expire
 * @param rejections      told about every malformed signal or heartbeat dropped
 */
public record PresenceSettings(Duration cleanupInterval, Duration grace, Duration typingTimeout,
                               Duration nodeTimeout, RejectedInput rejections) {

    public static PresenceSettings from(PresenceProperties properties, RejectedInput rejections) {
        return new PresenceSettings(properties.cleanupInterval(), properties.grace(), properties.typingTimeout(),
                properties.nodeTimeout(), rejections);
    }
}
