package dev.chatcentral.processor.presence;

/** Told about every signal or heartbeat the presence topology drops as malformed (after logging it), for metrics. */
@FunctionalInterface
public interface RejectedInput {

    void rejected(String topic, String reason);
}
