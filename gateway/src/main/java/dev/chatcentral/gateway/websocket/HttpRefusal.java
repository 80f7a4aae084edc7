package dev.chatcentral.gateway.websocket;

import java.io.IOException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;

import dev.chatcentral.schemas.serde.Json;

/** The plain HTTP answers of a refused handshake, with a JSON body saying why. */
final class HttpRefusal {

    private static final Logger log = LoggerFactory.getLogger(HttpRefusal.class);

    private HttpRefusal() {
    }

    static void unauthorized(ServerHttpResponse response, String reason) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        write(response, HttpStatus.UNAUTHORIZED, Map.of("error", "unauthorized", "reason", reason));
    }

    /** @param accepting false when the node is shutting down rather than full */
    static void unavailable(ServerHttpResponse response, boolean accepting) {
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, accepting ? "5" : "1");
        write(response, HttpStatus.SERVICE_UNAVAILABLE, Map.of("error", accepting ? "max_connections" : "shutting_down",
                "reason", accepting ? "this node holds its maximum of connections, retry later or another node"
                        : "this node is shutting down, connect to another node"));
    }

    private static void write(ServerHttpResponse response, HttpStatus status, Map<String, String> body) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        try {
            response.getBody().write(Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            log.debug("could not write the {} body: {}", status.value(), e.getMessage());
        }
    }
}
