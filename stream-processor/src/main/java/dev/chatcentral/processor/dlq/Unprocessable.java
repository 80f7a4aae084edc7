package dev.chatcentral.processor.dlq;

/** A failure that says of itself why its record can never be processed: it goes to the DLQ with this reason. */
public interface Unprocessable {

    DeadLetterReason reason();
}
