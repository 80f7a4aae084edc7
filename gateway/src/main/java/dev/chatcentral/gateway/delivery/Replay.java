package dev.chatcentral.gateway.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catch-up of one subscribe request with {@code since}: the events of its channels with positions in
 * {@code (since, liveNext)} are read from Kafka by a {@link Replayer}, while the live fan-out delivers positions
 * from {@code liveNext} on into {@code buffer}. When the replay is done the buffer is flushed behind it, in order.
 * A subscribe without {@code since} to a channel with a snapshot ({@link ChannelSnapshots}) waits the same way,
 * for its snapshot instead of a replay.
 */
final class Replay {

    final ClientSession session;
    final int partition;
    /** Null when nothing is replayed: the subscription only waits for its snapshot. */
    final Long since;
    /** The first position the live fan-out had not delivered when the subscriptions were registered. */
    final long liveNext;
    /** Channel -> subscription, in the order the client named them. */
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Live events that arrived during the replay, in position order; guarded by the session's deliveryLock. */
    private final List<Pending> buffer = new ArrayList<>();
    private long bufferedChars;

    Replay(ClientSession session, int partition, Long since, long liveNext) {
        this.session = session;
        this.partition = partition;
        this.since = since;
        this.liveNext = liveNext;
    }

    /** Holds a live frame back until the replay is done; counted in the session's held-back total. */
    void holdBack(Subscription subscription, OutboundFrame frame) {
        buffer.add(new Pending(subscription, frame));
        bufferedChars += frame.json().length();
        session.heldBackChars += frame.json().length();
    }

    /** Drops the frames held back for a subscription that was cancelled: nobody will receive them. */
    void drop(Subscription subscription) {
        long before = bufferedChars;
        buffer.removeIf(pending -> {
            if (pending.subscription() != subscription) {
                return false;
            }
            bufferedChars -= pending.frame().json().length();
            return true;
        });
        session.heldBackChars -= before - bufferedChars;
    }

    /** Hands the frames held back over, in position order, and leaves none. */
    List<Pending> release() {
        List<Pending> released = List.copyOf(buffer);
        session.heldBackChars -= bufferedChars;
        bufferedChars = 0;
        buffer.clear();
        return released;
    }

    record Pending(Subscription subscription, OutboundFrame frame) {
    }
}
