package dev.chatcentral.gateway.websocket;

import java.io.IOException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;

import dev.chatcentral.gateway.delivery.ConnectionRefusal;
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

    static void refused(ServerHttpResponse response, ConnectionRefusal refusal) {
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(refusal.retryAfterSeconds()));
        write(response, HttpStatus.valueOf(refusal.status()), Map.of("error", refusal.code(), "reason",
                refusal.reason()));
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
