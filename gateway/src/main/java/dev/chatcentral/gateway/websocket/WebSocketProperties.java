package dev.chatcentral.gateway.websocket;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code /ws} endpoint; the limits shared with SSE and long-poll are in
 * {@link dev.chatcentral.gateway.delivery.SessionProperties}.
 *
 * @param maxFrameSize          largest text frame a client may send; larger ones close the connection with 1009
 * @param readyTimeout          longest a new session waits for its empresa's partition to be positioned
 * @param allowedOriginPatterns browser origins allowed to open the socket; tokens, not cookies, authenticate, so
 *                              the default allows all
 */
@ConfigurationProperties("chatcentral.gateway.websocket")
public record WebSocketProperties(
        DataSize maxFrameSize,
        Duration readyTimeout,
        List<String> allowedOriginPatterns) {
}
