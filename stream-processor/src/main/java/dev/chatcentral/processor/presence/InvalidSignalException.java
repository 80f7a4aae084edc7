package dev.chatcentral.processor.presence;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.Unprocessable;

/** A signal or heartbeat that can never be applied; the message says why. */
final class InvalidSignalException extends Exception implements Unprocessable {

    InvalidSignalException(String reason) {
        super(reason, null, false, false);
    }

    @Override
    public DeadLetterReason reason() {
        return DeadLetterReason.INVALID;
    }
}
