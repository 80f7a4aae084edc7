package dev.chatcentral.gateway.delivery;

/**
 * Told when a session of this node opens and when it ends, whatever the transport and the reason. Called on the
 * thread that opens or ends the session, so implementations must not block.
 */
public interface SessionListener {

    void opened(ClientSession session);

    void closed(ClientSession session);
}
