package dev.chatcentral.localstack;

/** A reason the stack cannot start, worded for the person who ran bin/stack: what is wrong and what to do. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
