package dev.chatcentral.gateway.delivery;

import java.io.IOException;

/**
 * Where a session's frames are written: a WebSocket, an SSE stream, or a long-poll answer being collected. Only
 * the session's writer calls it, one call at a time, so implementations need no locking of their own.
 */
public interface FrameSink {

    /** Writes one frame; may block up to the transport's send time limit. */
    void write(OutboundFrame frame) throws IOException;

    /** Sends a keepalive the client's stack answers or ignores (a WebSocket ping, an SSE comment). */
    void ping() throws IOException;

    /**
     * Tells the client why the session ends (a {@code closing} frame) and ends it, with {@code code} as the
     * WebSocket close code. Never throws: a client that is already gone is simply gone.
     */
    void close(int code, String reason);
}
