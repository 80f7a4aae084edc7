package dev.chatcentral.processor.presence;

/** A signal or heartbeat that can never be applied; the message says why. */
final class InvalidSignalException extends Exception {

    InvalidSignalException(String reason) {
        super(reason, null, false, false);
    }
}
