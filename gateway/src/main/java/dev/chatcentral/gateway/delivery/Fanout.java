package dev.chatcentral.gateway.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The index channel -> subscriptions of this node, and the one delivery path shared by WebSocket, SSE and
 * long-poll: live events from the {@link EventConsumer}, and replays of missed events from a {@link Replayer}.
 *
 * <p>The seam between replay and live: for each partition this class knows {@code next}, the first position the
 * live consumer has not delivered yet; it only moves under the partition's lock, as does registering a
 * subscription. So a subscription registered while {@code next} is N receives from the live consumer exactly the
 * positions from N on, and its replay reads the positions below N. Live events that arrive before the replay is
 * done are buffered for that session and flushed after it; each subscription's floor drops anything delivered
 * twice.
 *
 * <p>Channels with a snapshot ({@link ChannelSnapshots}: {@code presence:}) use the same seam: the snapshot is
 * asked for after the subscription is registered, so it covers everything below N, and the live events from N on
 * are held back until it is sent, right before {@code subscribed}.
 *
 * <p>Who owns what: this class owns the index and {@code next}; each {@link ClientSession} owns its subscriptions'
 * delivery state (floors, held-back frames) and changes it only in its own methods, under its own lock; the
 * {@link Replayer} reads and hands its results to the {@link Replay}, whose {@link Replay.Outcome} this class
 * answers.
 */
@Component
public class Fanout {

    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private final ConcurrentMap<String, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
    /** Partitions of {@code chat.events}, as the catalog checked against the brokers at startup. */
    private final int partitions;
    private final Object[] partitionLocks;
    /** Per partition, the first position not delivered yet; guarded by the partition's lock. */
    private final long[] next;
    private final Replayer replayer;
    private final RealtimeMetrics metrics;
    private final ChannelSnapshots snapshots;
    /** How this class answers the end of a replay: the {@link Replayer} sees only this, through the Replay. */
    private final Replay.Outcome outcome = new Replay.Outcome() {
        @Override
        public void completed(Replay replay, boolean recovered) {
            completeReplay(replay, recovered);
        }

        @Override
        public void failed(Replay replay, String reason) {
            failReplay(replay, reason);
        }
    };

    public Fanout(Replayer replayer, RealtimeMetrics metrics, ObjectProvider<ChannelSnapshots> snapshots,
                  TopicCatalog catalog) {
        this.partitions = catalog.partitions(Topics.EVENTS);
        this.partitionLocks = new Object[partitions];
        this.next = new long[partitions];
        this.replayer = replayer;
        this.metrics = metrics;
        this.snapshots = snapshots.getIfAvailable();
        for (int i = 0; i < partitionLocks.length; i++) {
            partitionLocks[i] = new Object();
        }
    }

    /**
     * Subscribes the session to {@code channels}, which the caller has checked it may see. Without {@code since}
     * each channel is answered {@code subscribed} with the current position and is live at once. With it, the
     * events of those channels after {@code since} are replayed first, in position order across the channels,
     * then {@code subscribed} (with {@code recovered}) follows, then live events. A channel with a snapshot gets
     * it right before its {@code subscribed} when nothing was replayed (no {@code since}, or not recovered). A
     * channel the session already follows is subscribed anew.
     */
    public void subscribe(ClientSession session, List<String> channels, Long since) {
        int partition = partitionOf(session.agent().empresaId());
        boolean snapshot = since == null && snapshots != null && channels.stream().anyMatch(snapshots::covers);
        Replay replay;
        synchronized (partitionLocks[partition]) {
            long liveNext = next[partition];
            replay = since == null && !snapshot ? null : new Replay(session, partition, since, liveNext, outcome);
            for (int i = 0; i < channels.size(); i++) {
                String channel = channels.get(i);
                unsubscribe(session, channel);
                Subscription subscription = new Subscription(session, channel,
                        since == null ? liveNext - 1 : since, replay);
                register(subscription);
                if (replay == null) {
                    session.send(Frames.subscribed(channel, liveNext - 1, null, i == channels.size() - 1));
                } else {
                    replay.subscriptions.put(channel, subscription);
                }
            }
        }
        if (replay == null) {
            return;
        }
        if (since == null) {
            awaitSnapshots(replay, null);
        } else {
            replayer.replay(replay);
        }
    }

    public void unsubscribe(ClientSession session, String channel) {
        Subscription subscription = session.unfollow(channel);
        if (subscription == null) {
            return;
        }
        subscribers.computeIfPresent(channel, (key, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
    }

    public void unsubscribeAll(ClientSession session) {
        for (String channel : session.channels()) {
            unsubscribe(session, channel);
        }
    }

    private void register(Subscription subscription) {
        // compute() is atomic per key, so a subscribe never lands in a set that an unsubscribe is dropping
        subscribers.compute(subscription.channel, (key, set) -> {
            Set<Subscription> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(subscription);
            return result;
        });
        subscription.session.follow(subscription);
    }

    /** The live consumer starts (or restarts) reading {@code partition} at {@code position}. */
    void positioned(int partition, long position) {
        advance(partition, position);
    }

    /** The live consumer has delivered everything of {@code partition} below {@code position}. */
    void advance(int partition, long position) {
        synchronized (partitionLocks[partition]) {
            next[partition] = Math.max(next[partition], position);
        }
    }

    /**
     * Hands a live event to every subscription of one of its channels whose session belongs to the event's
     * empresa. The empresa check repeats what subscribing already ensured, so that a mislabelled event or a channel
     * id shared across empresas (atendente ids are not scoped) still cannot reach another tenant.
     */
    void deliver(ConsumerRecord<String, RealtimeEvent> record) {
        RealtimeEvent event = record.value();
        List<String> channels = EventFrame.channels(event);
        synchronized (partitionLocks[record.partition()]) {
            for (int i = 0; i < channels.size(); i++) {
                String channel = channels.get(i);
                Set<Subscription> set = subscribers.get(channel);
                if (set == null) {
                    continue;
                }
                String json = null;
                for (Subscription subscription : set) {
                    ClientSession session = subscription.session;
                    if (!event.empresaId().equals(session.agent().empresaId())) {
                        log.warn("not delivering event {} of empresa {} on {} to session {} of empresa {}",
                                event.id(), event.empresaId(), channel, session.id(), session.agent().empresaId());
                        continue;
                    }
                    if (json == null) {
                        json = EventFrame.json(event, channel, record.offset());
                    }
                    OutboundFrame frame = new OutboundFrame(json, record.offset(), event.ts(),
                            isLastCopy(channels, i, session));
                    session.offerLive(subscription, frame);
                }
            }
            next[record.partition()] = Math.max(next[record.partition()], record.offset() + 1);
        }
    }

    /**
     * Hands an ephemeral event (typing from the fast lane, service figures from {@code chat.service.metrics}) to
     * every subscription of one of its channels whose session belongs to the event's empresa, as {@link #deliver}
     * does, but without a position: it takes no part in the seam between replays and live delivery, and needs none
     * of the partition's order beyond its own topic's.
     *
     * @param ts when the event happened, for the frame's latency; the record's timestamp when the event has none
     */
    public void deliverEphemeral(RealtimeEvent event, Instant ts) {
        for (String channel : EventFrame.channels(event)) {
            Set<Subscription> set = subscribers.get(channel);
            if (set == null) {
                continue;
            }
            OutboundFrame frame = null;
            for (Subscription subscription : set) {
                ClientSession session = subscription.session;
                if (!event.empresaId().equals(session.agent().empresaId())) {
                    log.warn("not delivering ephemeral event {} of empresa {} on {} to session {} of empresa {}",
                            event.id(), event.empresaId(), channel, session.id(), session.agent().empresaId());
                    continue;
                }
                if (frame == null) {
                    frame = OutboundFrame.ephemeral(EventFrame.ephemeralJson(event, channel), ts);
                }
                session.offerEphemeral(subscription, frame);
            }
        }
    }

    /**
     * The replay read everything below {@code liveNext}: each channel is answered {@code subscribed} (after its
     * snapshot, when not recovered), the buffered live events follow, and from then on the subscriptions are live.
     *
     * @param recovered false when {@code since} was out of the partition's retention: nothing was replayed and
     *                  the client must reload over REST
     */
    private void completeReplay(Replay replay, boolean recovered) {
        metrics.resumed(recovered);
        if (recovered) {
            replay.session.finishReplay(replay, true, Map.of());
        } else {
            awaitSnapshots(replay, false);
        }
    }

    /**
     * Asks for the snapshots of the replay's channels that have one (the subscriptions are registered, so each
     * covers what the live fan-out delivered before them), then finishes the subscribe with them.
     */
    private void awaitSnapshots(Replay replay, Boolean recovered) {
        Map<String, CompletableFuture<OutboundFrame>> pending = new LinkedHashMap<>();
        if (snapshots != null) {
            for (String channel : replay.subscriptions.keySet()) {
                if (snapshots.covers(channel)) {
                    pending.put(channel, snapshots.snapshot(replay.session.agent(), channel));
                }
            }
        }
        if (pending.isEmpty()) {
            replay.session.finishReplay(replay, recovered, Map.of());
            return;
        }
        CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).whenComplete((done, e) -> {
            if (e != null) {
                log.warn("snapshot for session {} failed: {}", replay.session.id(), e.toString());
                failReplay(replay, "cannot read the channel's current state now, subscribe again");
                return;
            }
            Map<String, OutboundFrame> frames = new LinkedHashMap<>();
            pending.forEach((channel, frame) -> frames.put(channel, frame.join()));
            replay.session.finishReplay(replay, recovered, frames);
        });
    }

    /** The replay could not be done: its subscriptions are dropped and the client told to subscribe again. */
    private void failReplay(Replay replay, String reason) {
        ClientSession session = replay.session;
        for (Subscription subscription : replay.subscriptions.values()) {
            if (!subscription.cancelled) {
                unsubscribe(session, subscription.channel);
                metrics.error(Frames.UNAVAILABLE);
                session.send(Frames.error(Frames.UNAVAILABLE, reason, subscription.channel));
            }
        }
    }

    /** Whether no later channel of the event is one this session also receives it on. */
    private static boolean isLastCopy(List<String> channels, int index, ClientSession session) {
        for (int j = index + 1; j < channels.size(); j++) {
            if (session.isSubscribed(channels.get(j))) {
                return false;
            }
        }
        return true;
    }

    private int partitionOf(String empresaId) {
        return EmpresaPartition.of(empresaId, partitions);
    }
}
