package dev.chatcentral.processor.topology;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.dlq.Unprocessable;

/** An input Kafka Streams' exception handlers marked as failed for good: it goes to the DLQ for that reason. */
final class PoisonedRecordException extends RuntimeException implements Unprocessable {

    private final DeadLetterReason reason;

    PoisonedRecordException(PoisonRecords.Poison poison) {
        super(poison.failure().getMessage() != null ? poison.failure().getMessage() : poison.failure().toString(),
                poison.failure());
        this.reason = poison.reason();
    }

    @Override
    public DeadLetterReason reason() {
        return reason;
    }
}
