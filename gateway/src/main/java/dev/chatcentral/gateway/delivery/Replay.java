package dev.chatcentral.gateway.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * The catch-up of one subscribe request with {@code since}: the events of its channels with positions in
 * {@code (since, liveNext)} are read from Kafka by a {@link Replayer}, while the live fan-out delivers positions
 * from {@code liveNext} on into {@code buffer}. When the replay is done the buffer is flushed behind it, in order.
 * A subscribe without {@code since} to a channel with a snapshot ({@link ChannelSnapshots}) waits the same way,
 * for its snapshot instead of a replay.
 *
 * <p>The {@link Replayer} only reads: it hands what it read to {@link #deliver}, and reports the end through
 * {@link #complete} or {@link #fail}, which the {@link Fanout} that made the replay answers ({@link Outcome}).
 */
final class Replay {

    /** What the fan-out does when a replay ends. */
    interface Outcome {
        void completed(Replay replay, boolean recovered);

        void failed(Replay replay, String reason);
    }

    final ClientSession session;
    final int partition;
    /** Null when nothing is replayed: the subscription only waits for its snapshot. */
    final Long since;
    /** The first position the live fan-out had not delivered when the subscriptions were registered. */
    final long liveNext;
    /**
     * Channel -> subscription, in the order the client named them; filled by the subscribe before the replay is
     * handed to any other thread, and not changed after.
     */
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Outcome outcome;
    /** Live events that arrived during the replay, in position order; guarded by the session's deliveryLock. */
    private final List<Pending> buffer = new ArrayList<>();
    private long bufferedChars;

    Replay(ClientSession session, int partition, Long since, long liveNext, Outcome outcome) {
        this.session = session;
        this.partition = partition;
        this.since = since;
        this.liveNext = liveNext;
        this.outcome = outcome;
    }

    /** A replayed event, on the replay's thread: delivered on each of the replay's channels it is published on. */
    void deliver(RealtimeEvent event, long position) {
        if (event.empresaId().equals(session.agent().empresaId())) {
            session.sendReplayed(this, EventFrame.channels(event), event, position);
        }
    }

    /**
     * The read reached {@code liveNext}: the live fan-out has the rest.
     *
     * @param recovered false when {@code since} was out of the partition's retention: nothing was replayed
     */
    void complete(boolean recovered) {
        outcome.completed(this, recovered);
    }

    /** The replay could not be done; {@code reason} tells the client. */
    void fail(String reason) {
        outcome.failed(this, reason);
    }

    /** Whether no later channel of the event is one of this replay's. */
    boolean isLastCopy(List<String> channels, int index) {
        for (int j = index + 1; j < channels.size(); j++) {
            if (subscriptions.containsKey(channels.get(j))) {
                return false;
            }
        }
        return true;
    }

    /** Holds a live frame back until the replay is done; under the session's deliveryLock. */
    void holdBack(Subscription subscription, OutboundFrame frame) {
        buffer.add(new Pending(subscription, frame));
        bufferedChars += frame.json().length();
    }

    /** Text held back now. */
    long heldBackChars() {
        return bufferedChars;
    }

    /**
     * Drops the frames held back for a subscription that was cancelled: nobody will receive them.
     *
     * @return the text dropped
     */
    long drop(Subscription subscription) {
        long before = bufferedChars;
        buffer.removeIf(pending -> {
            if (pending.subscription() != subscription) {
                return false;
            }
            bufferedChars -= pending.frame().json().length();
            return true;
        });
        return before - bufferedChars;
    }

    /** Hands the frames held back over, in position order, and leaves none. */
    List<Pending> release() {
        List<Pending> released = List.copyOf(buffer);
        bufferedChars = 0;
        buffer.clear();
        return released;
    }

    record Pending(Subscription subscription, OutboundFrame frame) {
    }
}
