package dev.chatcentral.gateway.command;

import java.util.concurrent.CompletionException;

/** Why the gateway did not write a command to {@code chat.commands}; the transports turn it into their answer. */
public final class CommandRefusedException extends RuntimeException {

    public enum Reason {
        /** The command is malformed: a field is missing, mistyped or out of bounds. */
        BAD_COMMAND,
        /** The conversa is not one of the caller's empresa (or not recorded yet): never said apart, so ids of other
         * tenants cannot be probed. */
        FOREIGN_CONVERSA,
        /** PostgreSQL could not check the conversa, or Kafka did not acknowledge in time; sending again may work. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String commandId;

    CommandRefusedException(Reason reason, String commandId, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.commandId = commandId;
    }

    /** The refusal a failed {@link CommandIntake#submit} future carries, unwrapped. */
    public static CommandRefusedException of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof CommandRefusedException refused) {
            return refused;
        }
        throw new IllegalStateException("not a command refusal", cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The client's commandId as sent when it was a string (possibly invalid), else null. */
    public String commandId() {
        return commandId;
    }
}
