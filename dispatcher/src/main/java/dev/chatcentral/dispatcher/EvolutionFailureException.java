package dev.chatcentral.dispatcher;

/** What the circuit breaker records for a failed call to Evolution. */
final class EvolutionFailureException extends RuntimeException {

    EvolutionFailureException(String message) {
        super(message, null, false, false);
    }
}
