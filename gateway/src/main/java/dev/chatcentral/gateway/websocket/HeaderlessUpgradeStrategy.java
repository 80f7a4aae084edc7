package dev.chatcentral.gateway.websocket;

import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

import dev.chatcentral.gateway.auth.BearerToken;

/**
 * The standard upgrade, except that the connection does not keep what the handshake needed only to authenticate.
 * Spring's session copies every request header, and Tomcat's keeps the query string, its parameters and the headers
 * again, all for the connection's life: the agent's token (in {@code ?token=}, {@code Authorization} or a
 * {@code bearer.} subprotocol), a browser's cookies. The handshake interceptor has already read the token, and
 * nothing reads these after the upgrade, so the container is shown the request without them.
 */
final class HeaderlessUpgradeStrategy extends StandardWebSocketUpgradeStrategy {

    private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    @Override
    public void upgrade(ServerHttpRequest request, ServerHttpResponse response, String selectedProtocol,
                        List<WebSocketExtension> selectedExtensions, Principal user, WebSocketHandler handler,
                        Map<String, Object> attributes) throws HandshakeFailureException {
        ServerHttpRequest upgraded = request instanceof ServletServerHttpRequest servlet
                ? new WithoutHeaders(new WithoutCredentials(servlet.getServletRequest())) : request;
        super.upgrade(upgraded, response, selectedProtocol, selectedExtensions, user, handler, attributes);
    }

    /** No headers for Spring's session to copy; the container reads the servlet request's own. */
    private static final class WithoutHeaders extends ServletServerHttpRequest {

        WithoutHeaders(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpHeaders getHeaders() {
            return HttpHeaders.EMPTY;
        }
    }

    /**
     * The request without its query, {@code Authorization}, {@code Cookie} and token subprotocols; the WebSocket
     * headers the container negotiates with stay.
     */
    static final class WithoutCredentials extends HttpServletRequestWrapper {

        WithoutCredentials(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }

        @Override
        public String getHeader(String name) {
            if (hidden(name)) {
                return null;
            }
            String value = super.getHeader(name);
            return value != null && PROTOCOL_HEADER.equalsIgnoreCase(name) ? withoutTokens(value) : value;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (hidden(name)) {
                return Collections.emptyEnumeration();
            }
            Enumeration<String> values = super.getHeaders(name);
            if (!PROTOCOL_HEADER.equalsIgnoreCase(name)) {
                return values;
            }
            return Collections.enumeration(Collections.list(values).stream()
                    .map(WithoutCredentials::withoutTokens).filter(value -> !value.isEmpty()).toList());
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !hidden(name)).toList());
        }

        private static boolean hidden(String name) {
            return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) || HttpHeaders.COOKIE.equalsIgnoreCase(name);
        }

        /** The offered protocols without the ones that carry a token. */
        static String withoutTokens(String protocols) {
            return Arrays.stream(protocols.split(",")).map(String::trim)
                    .filter(protocol -> !protocol.isEmpty() && !protocol.startsWith(BearerToken.SUBPROTOCOL_PREFIX))
                    .collect(Collectors.joining(", "));
        }
    }
}
