package dev.chatcentral.simulator.sendtext;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The current behavior of each instance, and what is left of its failures. Instances never configured answer OK.
 * Thread-safe: concurrent calls each consume one failure.
 */
@Component
class InstanceBehaviors {

    /** A behavior and the failures still to play; {@code remaining} 0 with {@code failures} > 0 means spent. */
    record Current(Behavior behavior, int remaining) {
    }

    /** What one call gets: the mode and the delay before answering. */
    record Answer(Mode mode, Duration delay) {
    }

    private final Map<String, Current> current = new ConcurrentHashMap<>();

    InstanceBehaviors(SendTextProperties properties) {
        properties.behaviors().forEach(this::set);
    }

    void set(String instance, Behavior behavior) {
        current.put(instance, new Current(behavior, behavior.failures()));
    }

    void reset(String instance) {
        current.remove(instance);
    }

    Current get(String instance) {
        return current.getOrDefault(instance, new Current(Behavior.OK, 0));
    }

    /** The answer for the next call to the instance, consuming one of its failures. */
    Answer next(String instance) {
        Answer[] answer = new Answer[1];
        current.computeIfPresent(instance, (key, state) -> {
            Behavior behavior = state.behavior();
            if (behavior.failures() == 0) {
                answer[0] = new Answer(behavior.mode(), behavior.delay());
                return state;
            }
            if (state.remaining() == 0) {
                answer[0] = new Answer(Mode.OK, Duration.ZERO);
                return state;
            }
            answer[0] = new Answer(behavior.mode(), behavior.delay());
            return new Current(behavior, state.remaining() - 1);
        });
        return answer[0] != null ? answer[0] : new Answer(Mode.OK, Duration.ZERO);
    }
}
