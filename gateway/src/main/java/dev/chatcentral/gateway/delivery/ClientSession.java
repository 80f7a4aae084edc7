package dev.chatcentral.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.schemas.event.RealtimeEvent;

/**
 * One connected client (a browser tab's WebSocket, SSE stream or long-poll): who it is, what it follows, and its
 * {@link SendQueue}. The session owns its delivery state: the fan-out and the replays change it only through the
 * methods below.
 *
 * <p>Threads, and what each touches:
 * <ul>
 *   <li>the transport's threads (subscribe, unsubscribe, token refresh) change {@code subscriptions} and
 *   {@code agent}; {@code subscriptions} is a concurrent map, {@code agent} volatile;</li>
 *   <li>the live consumer's thread ({@link #offerLive}), a replay thread ({@link #sendReplayed}) and whoever
 *   finishes a subscribe ({@link #finishReplay}, {@link #unfollow}) change each subscription's {@code floor} and
 *   {@code replay}, the replays' held-back frames and {@code heldBackChars}, all under {@code deliveryLock}: that
 *   lock is what orders live and replayed frames of this session (see {@link Fanout});</li>
 *   <li>anyone may enqueue frames; the {@link SendQueue} guards itself, and its writer thread drains it;</li>
 *   <li>the session timers' thread and the transport's replace {@code expiry}; {@code expiry} and
 *   {@code keepalive} are volatile and cancelled by {@link Sessions#closed}, on any thread;</li>
 *   <li>every other field is final.</li>
 * </ul>
 */
public final class ClientSession {

    private final String id = UUID.randomUUID().toString();
    private final Transport transport;
    private final SendQueue queue;
    private final long heldBackLimit;
    private final CompletableFuture<Void> ready;
    private volatile Agent agent;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile ScheduledFuture<?> expiry;
    private volatile ScheduledFuture<?> keepalive;

    /** Channel -> subscription. */
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Object deliveryLock = new Object();
    /** Live-event text held back for all of this session's replays together, so one bound holds them all. */
    private long heldBackChars;

    /**
     * @param queueLimit the most text queued for the client, and the most live-event text held back while its
     *                   replays run; past either the client is too slow
     * @param ready      completes when the empresa's events are being read
     */
    ClientSession(Transport transport, Agent agent, FrameSink sink, Sessions owner, long queueLimit,
                  CompletableFuture<Void> ready) {
        this.transport = transport;
        this.agent = agent;
        this.queue = new SendQueue(this, sink, owner, queueLimit);
        this.heldBackLimit = queueLimit;
        this.ready = ready;
    }

    public String id() {
        return id;
    }

    public Agent agent() {
        return agent;
    }

    public Transport transport() {
        return transport;
    }

    /** Completes when the empresa's events are being read, so events written from then on reach this session. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public boolean isSubscribed(String channel) {
        return subscriptions.containsKey(channel);
    }

    /** How many channels this session follows. */
    public int channelCount() {
        return subscriptions.size();
    }

    /** The channels this session follows. */
    public Set<String> channels() {
        return Set.copyOf(subscriptions.keySet());
    }

    void replaceAgent(Agent refreshed) {
        this.agent = refreshed;
    }

    /** Records that the client showed it is alive (any frame, a pong). */
    public void touch() {
        lastSeenNanos = System.nanoTime();
    }

    Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastSeenNanos);
    }

    /** Replaces the token-expiry timer; the one replaced has fired or is cancelled by the caller. */
    void expireWith(ScheduledFuture<?> timer) {
        expiry = timer;
    }

    void keepAliveWith(ScheduledFuture<?> timer) {
        keepalive = timer;
    }

    void cancelExpiry() {
        ScheduledFuture<?> timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    void cancelTimers() {
        cancelExpiry();
        ScheduledFuture<?> timer = keepalive;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    public void send(OutboundFrame frame) {
        queue.send(frame);
    }

    void ping() {
        queue.ping();
    }

    /** Closes once the frames already queued are written, with a {@code closing} frame before the close. */
    public void close(int code, String reason) {
        queue.close(code, reason);
    }

    /** The client cannot keep up: what it has not received yet is dropped, and it is told to resume. */
    void overflow() {
        queue.overflow();
    }

    public boolean isClosing() {
        return queue.isClosing();
    }

    /**
     * Blocks a producer that can wait (a replay) while the queue is more than half full, so a replay never
     * overflows a client that reads at a normal pace. False when the session is closing or the wait timed out.
     */
    boolean awaitCapacity(Duration timeout) throws InterruptedException {
        return queue.awaitCapacity(timeout);
    }

    /** The connection ended (either side): nothing more is queued or written. */
    void discard() {
        queue.discard();
    }

    /** Follows the subscription's channel, in place of any subscription of it before (already unfollowed). */
    void follow(Subscription subscription) {
        subscriptions.put(subscription.channel, subscription);
    }

    /**
     * Stops following {@code channel}: its subscription is cancelled, and what a replay held back for it dropped.
     *
     * @return the subscription, or null when the channel was not followed
     */
    Subscription unfollow(String channel) {
        Subscription subscription = subscriptions.remove(channel);
        if (subscription == null) {
            return null;
        }
        synchronized (deliveryLock) {
            subscription.cancelled = true;
            if (subscription.replay != null) {
                heldBackChars -= subscription.replay.drop(subscription);
            }
        }
        return subscription;
    }

    /**
     * A live frame for one subscription: held back while the subscription waits for its replay (past the limit
     * the client is too slow), otherwise sent unless the subscription already has its position.
     */
    void offerLive(Subscription subscription, OutboundFrame frame) {
        synchronized (deliveryLock) {
            if (subscription.cancelled) {
                return;
            }
            Replay replay = subscription.replay;
            if (replay != null) {
                replay.holdBack(subscription, frame);
                heldBackChars += frame.json().length();
                if (heldBackChars > heldBackLimit) {
                    overflow();
                }
                return;
            }
            if (frame.position() > subscription.floor) {
                subscription.floor = frame.position();
                send(frame);
            }
        }
    }

    /**
     * An ephemeral frame (typing) for one subscription: sent at once, even while the subscription waits for a replay,
     * since it has no position to order by and nothing resumes from it; dropped only once the channel is left.
     */
    void offerEphemeral(Subscription subscription, OutboundFrame frame) {
        if (!subscription.cancelled) {
            send(frame);
        }
    }

    /** A replayed event, sent on each of the replay's channels it is published on that is not past it yet. */
    void sendReplayed(Replay replay, List<String> channels, RealtimeEvent event, long position) {
        synchronized (deliveryLock) {
            for (int i = 0; i < channels.size(); i++) {
                Subscription subscription = replay.subscriptions.get(channels.get(i));
                if (subscription == null || subscription.cancelled || position <= subscription.floor) {
                    continue;
                }
                subscription.floor = position;
                send(new OutboundFrame(EventFrame.json(event, subscription.channel, position), position,
                        event.ts(), replay.isLastCopy(channels, i)));
            }
        }
    }

    /**
     * Ends the replay's wait: each channel still followed is answered {@code subscribed} (after its snapshot, if
     * any), the live frames held back follow, and from then on the subscriptions are live.
     *
     * @param recovered      null when nothing was asked to be replayed; the channels are answered without it
     * @param snapshotFrames the snapshot frame of each channel that has one
     */
    void finishReplay(Replay replay, Boolean recovered, Map<String, OutboundFrame> snapshotFrames) {
        synchronized (deliveryLock) {
            List<Subscription> live = replay.subscriptions.values().stream()
                    .filter(subscription -> !subscription.cancelled).toList();
            for (int i = 0; i < live.size(); i++) {
                Subscription subscription = live.get(i);
                long position = Boolean.TRUE.equals(recovered) ? Math.max(subscription.floor, replay.liveNext - 1)
                        : replay.liveNext - 1;
                subscription.floor = position;
                OutboundFrame snapshot = snapshotFrames.get(subscription.channel);
                if (snapshot != null) {
                    send(snapshot);
                }
                send(Frames.subscribed(subscription.channel, position, recovered, i == live.size() - 1));
            }
            heldBackChars -= replay.heldBackChars();
            for (Replay.Pending pending : replay.release()) {
                Subscription subscription = pending.subscription();
                if (!subscription.cancelled && pending.frame().position() > subscription.floor) {
                    subscription.floor = pending.frame().position();
                    send(pending.frame());
                }
            }
            live.forEach(subscription -> subscription.replay = null);
        }
    }
}
