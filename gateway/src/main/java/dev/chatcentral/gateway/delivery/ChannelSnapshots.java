package dev.chatcentral.gateway.delivery;

import java.util.concurrent.CompletableFuture;

import dev.chatcentral.gateway.auth.Agent;

/**
 * The current state of a channel that a subscriber gets before its events (the online list of
 * {@code presence:{empresaId}}), for channels whose events are deltas a client cannot use without a starting point.
 * {@link Fanout} sends it right before {@code subscribed}, and holds back the channel's live events until then.
 */
public interface ChannelSnapshots {

    /** Whether subscribers of {@code channel} get a snapshot. */
    boolean covers(String channel);

    /**
     * The snapshot frame of {@code channel}. It must include every change whose event the live fan-out had
     * delivered when this was called; it may include later ones too, which its frame must let the client tell
     * apart (docs/protocol.md). Completes exceptionally when the state cannot be read in time.
     */
    CompletableFuture<OutboundFrame> snapshot(Agent agent, String channel);
}
