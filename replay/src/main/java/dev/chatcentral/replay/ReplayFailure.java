package dev.chatcentral.replay;

/** A replay that could not run or was refused; its message says why, its status is the process's exit status. */
final class ReplayFailure extends Exception {

    private final int status;

    private ReplayFailure(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The tool refuses: a non-empty target database, an active group, a group not the project's. */
    static ReplayFailure refused(String message) {
        return new ReplayFailure(Replay.REFUSED, message, null);
    }

    /** The broker or a database could not be reached, or failed on the way. */
    static ReplayFailure unreachable(String message, Throwable cause) {
        return new ReplayFailure(Replay.UNREACHABLE, message
                + (cause == null ? "" : ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage()), cause);
    }

    int status() {
        return status;
    }
}
