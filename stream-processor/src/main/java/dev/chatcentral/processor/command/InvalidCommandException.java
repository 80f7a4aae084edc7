package dev.chatcentral.processor.command;

/**
 * A {@code chat.commands} or {@code chat.outbound.results} record that names nobody to answer: unreadable, or without
 * an issuer. It is logged and dropped; the gateway and the dispatcher never write such records.
 */
public class InvalidCommandException extends RuntimeException {

    public InvalidCommandException(String message) {
        super(message);
    }
}
