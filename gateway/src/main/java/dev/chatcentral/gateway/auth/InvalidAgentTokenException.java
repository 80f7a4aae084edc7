package dev.chatcentral.gateway.auth;

/** A token that does not authenticate anyone; the message says why and never contains the token. */
public class InvalidAgentTokenException extends RuntimeException {

    public InvalidAgentTokenException(String reason) {
        super(reason);
    }

    public InvalidAgentTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
