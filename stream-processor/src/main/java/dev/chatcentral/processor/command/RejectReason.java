package dev.chatcentral.processor.command;

/** Why a command was refused: the {@code reason} code of {@code command_rejected} (docs/commands.md). */
public enum RejectReason {
    /** The conversa (or the mensagem) does not exist in the caller's empresa. */
    NOT_FOUND("not_found"),
    /** The caller may not act on this conversa: it is not theirs and they are no supervisor or admin. */
    FORBIDDEN("forbidden"),
    /** {@code assign} of a conversa someone already took. */
    ALREADY_ASSIGNED("already_assigned"),
    /** The command does not apply to the conversa (or mensagem) as it stands now. */
    INVALID_STATE("invalid_state"),
    /** The target of a transfer was never seen in the caller's empresa. */
    UNKNOWN_ATENDENTE("unknown_atendente"),
    /** {@code resend} of a reply that may have reached WhatsApp: it waits until that is settled. */
    UNCONFIRMED("unconfirmed"),
    /** {@code resend} before the time the WhatsApp number's open circuit named. */
    INSTANCE_UNAVAILABLE("instance_unavailable"),
    /** The command itself is malformed. */
    INVALID_COMMAND("invalid_command");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
