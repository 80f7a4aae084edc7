package dev.chatcentral.gateway.delivery;

/** Why the server ends a session (docs/protocol.md lists each with what the client should do). */
public final class CloseCodes {

    /** Unexpected failure on the server. */
    public static final int SERVER_ERROR = 1011;
    /** The node is shutting down: reconnect (to any node) and resume. */
    public static final int SERVICE_RESTART = 1012;
    /** The node cannot serve the session now (events not ready): reconnect after a pause. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** The token expired without a refresh: get a new token, reconnect, resume. */
    public static final int TOKEN_EXPIRED = 4001;
    /** Nothing from the client within the connection timeout: reconnect and resume. */
    public static final int IDLE_TIMEOUT = 4008;
    /** The client kept sending faster than the rate limit: reconnect after a pause and resume. */
    public static final int RATE_LIMITED = 4029;
    /** The client reads too slowly, its send queue overflowed: reconnect and resume. */
    public static final int SLOW_CONSUMER = 4500;

    private CloseCodes() {
    }
}
