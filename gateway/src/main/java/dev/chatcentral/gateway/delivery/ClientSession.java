package dev.chatcentral.gateway.delivery;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import dev.chatcentral.gateway.auth.Agent;

/**
 * One connected browser tab: who it is and which channels it follows. Sends never throw: a client that cannot
 * keep up or whose connection broke is closed, and nobody else waits for it.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final WebSocketSession session;
    private final Agent agent;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();

    /** @param session a session safe for concurrent sends with bounded time and buffer */
    public ClientSession(WebSocketSession session, Agent agent) {
        this.session = session;
        this.agent = agent;
    }

    public String id() {
        return session.getId();
    }

    public Agent agent() {
        return agent;
    }

    Set<String> channels() {
        return channels;
    }

    public void send(TextMessage frame) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.sendMessage(frame);
        } catch (SessionLimitExceededException e) {
            log.warn("closing session {} of empresa {}: {}", id(), agent.empresaId(), e.getMessage());
            close(e.getStatus());
        } catch (IOException | IllegalStateException e) {
            log.debug("closing session {} after a failed send: {}", id(), e.getMessage());
            close(CloseStatus.SERVER_ERROR);
        }
    }

    public void close(CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException | IllegalStateException e) {
            log.debug("session {} was already gone: {}", id(), e.getMessage());
        }
    }
}
