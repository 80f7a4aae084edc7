package dev.chatcentral.processor.webhook;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.Unprocessable;

/** A webhook that can never be processed as it is; the message says what is wrong with it, for the DLQ header. */
public class InvalidWebhookException extends RuntimeException implements Unprocessable {

    public InvalidWebhookException(String message) {
        super(message);
    }

    public InvalidWebhookException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public DeadLetterReason reason() {
        return DeadLetterReason.INVALID;
    }
}
