package dev.chatcentral.simulator.sendtext;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The latest sendText calls of each instance, with how they were answered: lets tests and demos check what
 * "WhatsApp" received (a text sent twice shows up twice with status 201).
 */
@Component
class CallLog {

    /** One call: what was asked, what was answered, and the key.id of the message when it was sent. */
    record Call(String number, String text, int status, String keyId, Instant at) {
    }

    private final int capacity;
    private final Map<String, Deque<Call>> calls = new ConcurrentHashMap<>();

    CallLog(SendTextProperties properties) {
        this.capacity = properties.loggedCalls();
    }

    void add(String instance, Call call) {
        Deque<Call> log = calls.computeIfAbsent(instance, i -> new ArrayDeque<>());
        synchronized (log) {
            if (log.size() == capacity) {
                log.removeFirst();
            }
            log.addLast(call);
        }
    }

    List<Call> of(String instance) {
        Deque<Call> log = calls.get(instance);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    void clear(String instance) {
        calls.remove(instance);
    }
}
