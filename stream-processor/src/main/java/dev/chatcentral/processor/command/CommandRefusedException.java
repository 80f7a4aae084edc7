package dev.chatcentral.processor.command;

/** A command the rules refuse; becomes {@code command_rejected} on the issuer's channel. */
public class CommandRefusedException extends RuntimeException {

    private final RejectReason reason;

    public CommandRefusedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
