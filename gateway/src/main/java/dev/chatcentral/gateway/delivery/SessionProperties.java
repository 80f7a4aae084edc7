package dev.chatcentral.gateway.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
        @DefaultValue("25s") Duration pingInterval,
        @DefaultValue("30s") Duration connectionTimeout,
        @DefaultValue("10000") int maxConnections,
        @DefaultValue("20") int maxConnectionsPerUser,
        @DefaultValue("2000") int maxConnectionsPerEmpresa,
        @DefaultValue("50") int maxChannels,
        @DefaultValue("1MB") DataSize sendQueueLimit,
        @DefaultValue("5s") Duration sendTimeLimit,
        @DefaultValue("20") double frameRate,
        @DefaultValue("40") int frameBurst,
        @DefaultValue("10s") Duration shutdownTimeout) {
}
