package dev.chatcentral.gateway.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits and timers of client sessions, whatever their transport.
 *
 * @param pingInterval             how often the server pings a WebSocket (control frame) or an SSE stream (comment)
 * @param connectionTimeout        a WebSocket that sent nothing (no frame, no pong) for this long is closed as dead
 * @param maxConnections           sessions this node holds at most (WebSocket, SSE and waiting long-polls
 *                                 together); more are refused with HTTP 503 before any upgrade
 * @param maxConnectionsPerUser    sessions of one user (of one empresa) on this node at most, counted like
 *                                 maxConnections (tabs and devices); more are refused with HTTP 429
 * @param maxConnectionsPerEmpresa sessions of one empresa on this node at most; more are refused with HTTP 429
 * @param maxChannels              channels one session follows at most: a WebSocket's subscribes beyond it are
 *                                 refused, an SSE stream or long-poll may name no more
 * @param sendQueueLimit           most frame text waiting for one client; past it the client is closed as too slow
 *                                 (4500)
 * @param sendTimeLimit            longest one write to a client may block before the client is closed as too slow
 * @param frameRate                client frames per second a WebSocket may send on average
 * @param frameBurst               client frames a WebSocket may send at once; also how many refused frames in a
 *                                 row close it
 * @param shutdownTimeout          longest a stopping node waits for its clients' queues to flush
 */
@ConfigurationProperties("chatcentral.gateway.session")
public record SessionProperties(
        Duration pingInterval,
        Duration connectionTimeout,
        int maxConnections,
        int maxConnectionsPerUser,
        int maxConnectionsPerEmpresa,
        int maxChannels,
        DataSize sendQueueLimit,
        Duration sendTimeLimit,
        double frameRate,
        int frameBurst,
        Duration shutdownTimeout) {
}
