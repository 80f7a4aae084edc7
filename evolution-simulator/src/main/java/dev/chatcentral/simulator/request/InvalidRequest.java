package dev.chatcentral.simulator.request;

/** A request the simulator refuses with 400 and this reason. */
public class InvalidRequest extends RuntimeException {

    public InvalidRequest(String reason) {
        super(reason, null, false, false);
    }
}
