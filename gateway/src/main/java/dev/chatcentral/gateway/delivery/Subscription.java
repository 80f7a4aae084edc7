package dev.chatcentral.gateway.delivery;

/**
 * One session following one channel. {@code floor} is the highest position already handed to the session on this
 * channel (or known to hold nothing for it): only events above it are delivered, which is what makes the seam
 * between a replay and live delivery free of duplicates. Only its {@link ClientSession} changes {@code floor},
 * {@code replay} and {@code cancelled}, under its deliveryLock; {@code cancelled} is also read without it.
 */
final class Subscription {

    final ClientSession session;
    final String channel;
    long floor;
    /** The replay this subscription is waiting for, while live events are buffered in it; null once live. */
    Replay replay;
    volatile boolean cancelled;

    Subscription(ClientSession session, String channel, long floor, Replay replay) {
        this.session = session;
        this.channel = channel;
        this.floor = floor;
        this.replay = replay;
    }
}
