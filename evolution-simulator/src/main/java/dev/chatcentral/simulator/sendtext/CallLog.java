package dev.chatcentral.simulator.sendtext;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The latest calls of each instance's Evolution API, with how they were answered: lets tests and demos check what
 * "WhatsApp" received (a text sent twice shows up twice with status 201).
 */
@Component
public class CallLog {

    /** Kinds of call, named after Evolution's routes. */
    public static final String SEND_TEXT = "sendText";
    public static final String SEND_REACTION = "sendReaction";
    public static final String DELETE_FOR_EVERYONE = "deleteMessageForEveryone";
    public static final String FIND_MESSAGES = "findMessages";

    /**
     * One call: its kind, what was asked (the number or JID, the text or emoji, the message it is about), what was
     * answered, and the key.id of the message when one was sent.
     */
    public record Call(String kind, String number, String text, String targetKeyId, int status, String keyId,
                       Instant at) {
    }

    private final int capacity;
    private final Map<String, Deque<Call>> calls = new ConcurrentHashMap<>();

    CallLog(SendTextProperties properties) {
        this.capacity = properties.loggedCalls();
    }

    public void add(String instance, Call call) {
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
