package dev.chatcentral.processor.dlq;

/** Told of every record sent to the DLQ (or dropped there because the DLQ is disabled), for metrics. */
@FunctionalInterface
public interface DeadLetterListener {

    DeadLetterListener NONE = (stage, reason, empresaId) -> {
    };

    /** @param empresaId null when the record names no empresa */
    void deadLettered(DeadLetterStage stage, DeadLetterReason reason, String empresaId);
}
