package dev.chatcentral.simulator.instance;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Instances whose webhooks are lost: the number stays connected and every API call is answered as usual, but
 * nothing reaches the empresa, as when Evolution's webhook is misconfigured or its retries ran out.
 */
@Component
public class Silence {

    private final Set<String> silent = ConcurrentHashMap.newKeySet();

    public boolean isSilent(String instance) {
        return silent.contains(instance);
    }

    void set(String instance, boolean silenced) {
        if (silenced) {
            silent.add(instance);
        } else {
            silent.remove(instance);
        }
    }
}
