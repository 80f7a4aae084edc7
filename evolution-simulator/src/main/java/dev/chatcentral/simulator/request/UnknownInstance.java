package dev.chatcentral.simulator.request;

/** A control request about an instance that has no target: answered 404. */
public class UnknownInstance extends RuntimeException {

    public UnknownInstance(String instance) {
        super("no target of this simulator has instance " + instance, null, false, false);
    }
}
