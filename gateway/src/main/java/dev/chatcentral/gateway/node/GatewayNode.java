package dev.chatcentral.gateway.node;

import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This gateway node's identity: it tags the node's metrics and the signals it publishes, so presence can tell
 * the sessions of a dead node from those of a live one.
 *
 * @param id the node id (env GATEWAY_NODE_ID); by default one made up at each start, which is also what a restart
 *           should look like to the rest of the system
 */
@ConfigurationProperties("chatcentral.gateway.node")
public record GatewayNode(String id) {

    public GatewayNode {
        if (id == null || id.isBlank()) {
            id = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
