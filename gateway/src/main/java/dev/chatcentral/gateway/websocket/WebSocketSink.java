package dev.chatcentral.gateway.websocket;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import dev.chatcentral.gateway.delivery.FrameSink;
import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.OutboundFrame;

/** Frames as WebSocket text messages; keepalives as ping control frames, which browsers answer on their own. */
final class WebSocketSink implements FrameSink {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSink.class);
    /** RFC 6455 allows 123 bytes of close reason. */
    private static final int MAX_REASON = 120;

    private final WebSocketSession session;

    WebSocketSink(WebSocketSession session) {
        this.session = session;
    }

    @Override
    public void write(OutboundFrame frame) throws IOException {
        session.sendMessage(new TextMessage(frame.json()));
    }

    @Override
    public void ping() throws IOException {
        session.sendMessage(new PingMessage());
    }

    @Override
    public void close(int code, String reason) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.sendMessage(new TextMessage(Frames.closing(code, reason).json()));
        } catch (IOException | RuntimeException e) {
            log.debug("session {}: closing frame not sent: {}", session.getId(), e.toString());
        }
        try {
            session.close(new CloseStatus(code, reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON)));
        } catch (IOException | RuntimeException e) {
            log.debug("session {} was already gone: {}", session.getId(), e.toString());
        }
    }
}
