package dev.chatcentral.schemas.signal;

import java.time.Duration;
import java.time.Instant;

/**
 * A gateway node saying it is alive, as kept in the compacted {@code chat.gateway.heartbeats} (key = nodeId, equal
 * to the {@code nodeId} field). Every node publishes one every 2 s from its start until it stops, and a tombstone
 * (null value) for its node id when it shuts down cleanly. The presence topology expires the sessions of a node
 * whose latest heartbeat is older than its node timeout (8 s by default), or whose {@code bootEpoch} is later than
 * the one the session opened with.
 *
 * @param bootEpoch when this run of the node started, in epoch milliseconds: it must grow at each start of a node
 *                  that keeps its id, and every {@code session_opened} of this run carries it
 * @param ts        when the heartbeat was sent (the node's clock; nodes and processors keep NTP time, since
 *                  skew eats into the node timeout)
 */
public record NodeHeartbeat(String nodeId, long bootEpoch, Instant ts) {

    /** How often a gateway node publishes its heartbeat. */
    public static final Duration INTERVAL = Duration.ofSeconds(2);
}
