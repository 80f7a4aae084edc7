package dev.chatcentral.processor.retry;

/** A record that cannot be processed yet but may be later (a receipt whose mensagem has not arrived): it is parked. */
public class RetryLaterException extends RuntimeException {

    public RetryLaterException(String message) {
        super(message);
    }
}
