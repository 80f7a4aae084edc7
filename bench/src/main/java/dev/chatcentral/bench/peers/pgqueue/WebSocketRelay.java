package dev.chatcentral.bench.peers.pgqueue;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The WebSocket side of the relay: a client connects to {@code /ws?empresa=<id>} and receives every event of that
 * empresa, as chat-central's gateway frames them on the {@code empresa:} channel. Agents' authentication is
 * chat-central's gateway's business, not part of what this peer is compared on (it costs once per connection).
 */
final class WebSocketRelay extends TextWebSocketHandler {

    private static final String EMPRESA_ID = "[A-Za-z0-9._-]{1,64}";
    /** A slow client is dropped once it is this far behind, rather than slowing the others' fan-out. */
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT_BYTES = 32 * 1024 * 1024;
    private static final String EMPRESA = "empresa";

    private final Map<String, Set<WebSocketSession>> byEmpresa = new ConcurrentHashMap<>();

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
        String empresaId = raw.getUri() == null ? null
                : UriComponentsBuilder.fromUri(raw.getUri()).build().getQueryParams().getFirst(EMPRESA);
        if (empresaId == null || !empresaId.matches(EMPRESA_ID)) {
            raw.close(CloseStatus.POLICY_VIOLATION.withReason("connect to /ws?empresa=<empresa id>"));
            return;
        }
        WebSocketSession session = new ConcurrentWebSocketSessionDecorator(raw, SEND_TIME_LIMIT_MS,
                BUFFER_LIMIT_BYTES);
        raw.getAttributes().put(EMPRESA, empresaId);
        raw.getAttributes().put("decorated", session);
        byEmpresa.computeIfAbsent(empresaId, e -> ConcurrentHashMap.newKeySet()).add(session);
        session.sendMessage(new TextMessage(
                "{\"type\":\"subscribed\",\"channel\":\"empresa:" + empresaId + "\",\"position\":null}"));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        Object empresaId = raw.getAttributes().get(EMPRESA);
        Object session = raw.getAttributes().get("decorated");
        if (empresaId != null) {
            Set<WebSocketSession> sessions = byEmpresa.get(empresaId);
            if (sessions != null) {
                sessions.remove(session);
            }
        }
    }

    /** Writes {@code frame} to every client of {@code empresaId}; a client that cannot take it is closed. */
    void fanOut(String empresaId, String frame) {
        Set<WebSocketSession> sessions = byEmpresa.get(empresaId);
        if (sessions == null || sessions.isEmpty()) {
            return;
        }
        TextMessage message = new TextMessage(frame);
        for (WebSocketSession session : sessions) {
            try {
                session.sendMessage(message);
            } catch (IOException | RuntimeException e) {
                sessions.remove(session);
                try {
                    session.close(CloseStatus.SESSION_NOT_RELIABLE);
                } catch (IOException ignored) {
                    // already broken: nothing more to tell it
                }
            }
        }
    }
}
