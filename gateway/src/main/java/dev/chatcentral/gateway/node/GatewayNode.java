package dev.chatcentral.gateway.node;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This gateway node's identity: it tags the node's metrics and the signals it publishes, so presence can tell
 * the sessions of a dead node from those of a live one.
 *
 * @param id                the node id (env GATEWAY_NODE_ID); by default one made up at each start, which is also
 *                          what a restart should look like to the rest of the system
 * @param heartbeatInterval how often the node tells {@code chat.gateway.heartbeats} it is alive (env
 *                          GATEWAY_HEARTBEAT_INTERVAL); keep it well under the presence topology's node timeout
 */
@ConfigurationProperties("chatcentral.gateway.node")
public record GatewayNode(String id, Duration heartbeatInterval) {

    public GatewayNode {
        if (id == null || id.isBlank()) {
            id = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
        }
        if (heartbeatInterval == null) {
            heartbeatInterval = Duration.ofSeconds(2);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.node.heartbeat-interval must be positive, was "
                    + heartbeatInterval);
        }
    }
}
