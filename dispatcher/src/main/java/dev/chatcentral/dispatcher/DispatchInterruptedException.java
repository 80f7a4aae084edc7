package dev.chatcentral.dispatcher;

/** The dispatcher is stopping: the reply was not sent, its record stays uncommitted for the next owner. */
final class DispatchInterruptedException extends RuntimeException {

    DispatchInterruptedException(String message) {
        super(message);
    }
}
