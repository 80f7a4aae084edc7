package dev.chatcentral.simulator.instance;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.chatcentral.simulator.SimulatorProperties;
import dev.chatcentral.simulator.SimulatorProperties.Target;

/**
 * Which empresa each instance's webhooks go to: the targets configured at startup, and those registered at run time
 * through {@code PUT /simulator/instances/{instance}/target} (a tenant created after the simulator started). A
 * registration replaces the configured target of the same instance until it is removed.
 */
@Component
public class Targets {

    private final SimulatorProperties properties;
    private final Map<String, Target> registered = new ConcurrentHashMap<>();

    Targets(SimulatorProperties properties) {
        this.properties = properties;
    }

    public Optional<Target> byInstance(String instance) {
        Target target = registered.get(instance);
        if (target != null) {
            return Optional.of(target);
        }
        return properties.targets().stream().filter(t -> t.instance().equals(instance)).findFirst();
    }

    void register(Target target) {
        registered.put(target.instance(), target);
    }

    /** Forgets a run-time registration; a configured target of the instance applies again. */
    void unregister(String instance) {
        registered.remove(instance);
    }
}
