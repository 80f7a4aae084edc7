package dev.chatcentral.simulator.sendtext;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One instance's behavior for every sending call (sendText, sendReaction, deleteMessageForEveryone).
 *
 * @param mode     how calls are answered
 * @param delay    wait before answering (any mode); SLOW without a delay waits {@link #SLOW_DEFAULT}
 * @param failures answer with {@code mode} this many times, then OK again; 0 keeps {@code mode} until changed
 */
public record Behavior(@DefaultValue("ok") Mode mode, @DefaultValue("0ms") Duration delay,
                       @DefaultValue("0") int failures) {

    static final Duration SLOW_DEFAULT = Duration.ofSeconds(3);
    static final Behavior OK = new Behavior(Mode.OK, Duration.ZERO, 0);

    public Behavior {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or more, was " + delay);
        }
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be zero or more, was " + failures);
        }
        if (mode == Mode.SLOW && delay.isZero()) {
            delay = SLOW_DEFAULT;
        }
    }
}
