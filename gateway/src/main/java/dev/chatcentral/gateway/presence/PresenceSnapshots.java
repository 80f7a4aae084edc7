package dev.chatcentral.gateway.presence;

import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.delivery.ChannelSnapshots;
import dev.chatcentral.gateway.delivery.OutboundFrame;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.serde.Json;

/**
 * The {@code presence_snapshot} frame a subscriber of {@code presence:{empresaId}} gets before its
 * {@code presence_update} events: who is online now, with the presence {@code version} it reflects. The client
 * applies only updates with a greater version (docs/protocol.md), since the snapshot may already include a few
 * that are delivered after it.
 */
@Component
class PresenceSnapshots implements ChannelSnapshots {

    static final String FRAME_TYPE = "presence_snapshot";

    private final PresenceCache cache;

    PresenceSnapshots(PresenceCache cache) {
        this.cache = cache;
    }

    @Override
    public boolean covers(String channel) {
        return channel.startsWith(Channel.Kind.PRESENCE.prefix() + ":");
    }

    /** The channel was authorized for the agent, so its id is the agent's empresa. */
    @Override
    public CompletableFuture<OutboundFrame> snapshot(Agent agent, String channel) {
        return cache.current(agent.empresaId()).thenApply(snapshot -> frame(channel, snapshot));
    }

    static OutboundFrame frame(String channel, PresenceSnapshot snapshot) {
        ObjectNode frame = Json.MAPPER.createObjectNode()
                .put("type", FRAME_TYPE)
                .put("channel", channel);
        frame.set("data", Json.MAPPER.valueToTree(snapshot));
        return OutboundFrame.control(Json.MAPPER.writeValueAsString(frame));
    }
}
