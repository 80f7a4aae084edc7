package dev.chatcentral.processor.webhook;

/** A webhook that can never be processed as it is; the message says what is wrong with it, for the DLQ header. */
public class InvalidWebhookException extends RuntimeException {

    public InvalidWebhookException(String message) {
        super(message);
    }

    public InvalidWebhookException(String message, Throwable cause) {
        super(message, cause);
    }
}
