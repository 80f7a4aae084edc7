package dev.chatcentral.processor.presence;

/**
 * Told about every heartbeat the presence topology drops as malformed (after logging it), for metrics. Heartbeats
 * feed a global store, whose processor cannot write to a topic, so they never reach the DLQ: the node's next
 * heartbeat, seconds later, replaces a malformed one.
 */
@FunctionalInterface
public interface RejectedInput {

    void rejected(String topic, String reason);
}
