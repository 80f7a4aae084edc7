package dev.chatcentral.processor.command;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.Unprocessable;

/**
 * A {@code chat.commands} or {@code chat.outbound.results} record that names nobody to answer: unreadable, or without
 * an issuer. It goes to the DLQ; the gateway and the dispatcher never write such records.
 */
public class InvalidCommandException extends RuntimeException implements Unprocessable {

    public InvalidCommandException(String message) {
        super(message);
    }

    @Override
    public DeadLetterReason reason() {
        return DeadLetterReason.INVALID;
    }
}
