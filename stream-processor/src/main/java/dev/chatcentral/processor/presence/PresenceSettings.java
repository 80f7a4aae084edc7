package dev.chatcentral.processor.presence;

import java.time.Duration;

import dev.chatcentral.processor.dlq.DeadLetterListener;
import dev.chatcentral.processor.dlq.PoisonRecords;

/**
 * What the presence topology is built with.
 *
 * @param cleanupInterval how often (wall clock) dead nodes' sessions, ended grace periods and stale typing expire
 * @param grace           how long a user whose last session closed stays online, so a reload does not flap
 * @param typingTimeout   how long typing lasts without a new start or a stop
 * @param nodeTimeout     how old a node's latest heartbeat may get before its sessions expire
 * @param rejections      told about every malformed heartbeat dropped
 * @param dlqEnabled      false drops what would go to the DLQ, after logging it
 * @param deadLetters     told of every signal given up on
 * @param poison          inputs the exception handlers found Kafka refusing outputs of, to dead-letter
 */
public record PresenceSettings(Duration cleanupInterval, Duration grace, Duration typingTimeout,
                               Duration nodeTimeout, RejectedInput rejections, boolean dlqEnabled,
                               DeadLetterListener deadLetters, PoisonRecords poison) {

    public static PresenceSettings from(PresenceProperties properties, RejectedInput rejections, boolean dlqEnabled,
                                        DeadLetterListener deadLetters, PoisonRecords poison) {
        return new PresenceSettings(properties.cleanupInterval(), properties.grace(), properties.typingTimeout(),
                properties.nodeTimeout(), rejections, dlqEnabled, deadLetters, poison);
    }
}
