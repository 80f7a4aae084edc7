package dev.chatcentral.gateway.signal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.DeliveryProperties;
import dev.chatcentral.gateway.delivery.SessionListener;
import dev.chatcentral.gateway.delivery.Transport;
import dev.chatcentral.schemas.event.AtendenteTypingData;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.service.kafka.EphemeralWriter;

/**
 * Puts an atendente's typing on the fast lane ({@code chat.ephemeral}) from the node that took the frame, so the
 * other nodes show it one hop later instead of after the presence topology's turn (docs/presence.md), and tells the
 * presence topology in {@code chat.signals} what it needs to decide the stops no frame reports (no news for the typing
 * timeout, the typist's last session ending, their node dying).
 *
 * <p>A start is announced when this node saw no typing of that atendente in that conversa for the typing timeout, and
 * again once more than half a timeout passed since the last announcement (a client that joins late shows the start
 * it gets for one timeout only); a stop always. Each event is dated with the frame's time, which its signal carries
 * too, so gateways can put this node's events and the processor's stops in one order ({@code TypingOrder} there).
 *
 * <p>The processor is told less than the other nodes are shown: a start only when it does not hold that typing or
 * holds it from more than half a timeout ago, and a stop only after {@code typingSignalLinger} without a new start.
 * Someone typing pauses and goes on many times a minute; each flip through the exactly-once presence topology cost
 * it as much as a presence change, and at a thousand flips a second its presence changes waited tens of seconds
 * behind them (docs/benchmarks.md). With a linger of zero every frame is signalled at once.
 */
@Component
public class TypingLane implements SessionListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TypingLane.class);

    private final EphemeralWriter writer;
    private final SignalPublisher signals;
    private final long timeoutMillis;
    private final long lingerMillis;
    /** Typing this node announced, by empresa, user and conversa. */
    private final Map<String, Announced> announced = new ConcurrentHashMap<>();
    /** Typing the processor was told of by this node, by the same key. */
    private final Map<String, Told> told = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heldStops;
    private volatile long prunedAt = System.currentTimeMillis();

    public TypingLane(KafkaProperties kafka, DeliveryProperties delivery, SignalProperties properties,
                      SignalPublisher signals, MeterRegistry meterRegistry) {
        this.writer = new EphemeralWriter(kafka.buildProducerProperties(), "gateway", meterRegistry);
        this.signals = signals;
        this.timeoutMillis = delivery.typingTimeout().toMillis();
        this.lingerMillis = properties.typingSignalLinger().toMillis();
        this.heldStops = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "typing-held-stops");
            thread.setDaemon(true);
            return thread;
        });
        if (lingerMillis > 0) {
            long every = Math.max(10, lingerMillis / 4);
            heldStops.scheduleWithFixedDelay(() -> sendHeldStops(false), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Shows a typing frame of {@code agent} in {@code conversaId}, already authorized, to the other nodes when it
     * changes what they show, and decides whether the processor must be told now.
     *
     * @param type {@link Signal#TYPING_START} or {@link Signal#TYPING_STOP}
     * @return the frame's time when its signal must be sent now (the signal carries that time), null when the
     *         processor already holds this start or the stop is held back for {@code typingSignalLinger}
     */
    public Instant report(String sessionId, Agent agent, String conversaId, String type) {
        Instant at = Instant.now();
        long now = at.toEpochMilli();
        String key = agent.empresaId() + "|" + agent.userId() + "|" + conversaId;
        if (Signal.TYPING_STOP.equals(type)) {
            announced.remove(key);
            announce(EventType.TYPING_STOP, agent, conversaId, at);
            return holdStop(key, new HeldStop(sessionId, agent, conversaId, at, now + lingerMillis)) ? null : at;
        }
        boolean[] announce = new boolean[1];
        announced.compute(key, (k, last) -> {
            boolean due = last == null || now - last.seenAt > timeoutMillis || now - last.announcedAt > timeoutMillis / 2;
            announce[0] = due;
            return due ? new Announced(now, now) : new Announced(last.announcedAt, now);
        });
        if (announce[0]) {
            announce(EventType.TYPING_START, agent, conversaId, at);
        }
        boolean[] signal = new boolean[1];
        told.compute(key, (k, last) -> {
            // a held stop is dropped: the processor still holds the typing it would have ended
            signal[0] = lingerMillis == 0 || last == null || now - last.startedAt > timeoutMillis / 2;
            return new Told(signal[0] ? now : last.startedAt, null);
        });
        prune(now);
        return signal[0] ? at : null;
    }

    /** @return whether the stop is held back, false when it must be signalled now */
    private boolean holdStop(String key, HeldStop stop) {
        if (lingerMillis == 0) {
            told.remove(key);
            return false;
        }
        boolean[] held = new boolean[1];
        told.computeIfPresent(key, (k, last) -> {
            held[0] = true;
            return new Told(last.startedAt, stop);
        });
        // a stop of typing the processor did not hear of from this node (a start taken by another node) goes at once
        return held[0];
    }

    /** Signals the held stops that are due, or all of them. */
    private void sendHeldStops(boolean all) {
        long now = System.currentTimeMillis();
        List<HeldStop> due = new ArrayList<>();
        for (Map.Entry<String, Told> entry : told.entrySet()) {
            HeldStop stop = entry.getValue().held;
            if (stop != null && (all || stop.dueAt <= now)
                    && told.remove(entry.getKey(), entry.getValue())) {
                due.add(stop);
            }
        }
        due.forEach(this::signal);
    }

    private void signal(HeldStop stop) {
        try {
            signals.publish(Signal.TYPING_STOP, stop.sessionId, stop.agent, stop.conversaId, null, stop.at)
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            // the processor ends that typing a timeout after its start instead
                            log.warn("held typing stop of {} in conversa {} not written: {}", stop.agent.userId(),
                                    stop.conversaId, e.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            log.warn("held typing stop of {} in conversa {} not written: {}", stop.agent.userId(), stop.conversaId,
                    e.toString());
        }
    }

    private void announce(String type, Agent agent, String conversaId, Instant at) {
        AtendenteTypingData data = new AtendenteTypingData(conversaId, AtendenteTypingData.WHO_ATENDENTE,
                agent.userId(), agent.name());
        writer.publish(new RealtimeEvent(UUID.randomUUID().toString(), agent.empresaId(), type,
                List.of(Channel.conversa(conversaId)), Json.MAPPER.valueToTree(data), at), at.toEpochMilli());
    }

    @Override
    public void opened(ClientSession session) {
    }

    /**
     * Forgets what this node announced and told for the user, and sends their held stops now: the processor stops
     * typing when the user's last session ends, and otherwise ends it from these stops, so a start typed after coming
     * back must be announced and signalled again, not taken for a repeat. Typing frames come only over WebSocket, so
     * a long-poll answered and closed changes nothing.
     */
    @Override
    public void closed(ClientSession session) {
        if (session.transport() == Transport.POLL) {
            return;
        }
        String prefix = session.agent().empresaId() + "|" + session.agent().userId() + "|";
        announced.keySet().removeIf(key -> key.startsWith(prefix));
        List<HeldStop> held = new ArrayList<>();
        for (Map.Entry<String, Told> entry : told.entrySet()) {
            if (entry.getKey().startsWith(prefix) && told.remove(entry.getKey(), entry.getValue())
                    && entry.getValue().held != null) {
                held.add(entry.getValue().held);
            }
        }
        held.forEach(this::signal);
    }

    /**
     * Forgets typing nobody reported for a timeout, at most once per timeout, so the maps hold only live typing; the
     * processor ends such typing itself.
     */
    private void prune(long now) {
        if (now - prunedAt <= timeoutMillis) {
            return;
        }
        prunedAt = now;
        announced.values().removeIf(last -> now - last.seenAt > timeoutMillis);
        told.values().removeIf(last -> last.held == null && now - last.startedAt > timeoutMillis);
    }

    @Override
    public void destroy() {
        heldStops.shutdownNow();
        sendHeldStops(true);
        writer.close();
    }

    /** When this node last announced a start of this typing, and last saw a frame of it (epoch millis). */
    private record Announced(long announcedAt, long seenAt) {
    }

    /** When the processor last got a start of this typing from this node, and the stop held back, if any. */
    private record Told(long startedAt, HeldStop held) {
    }

    private record HeldStop(String sessionId, Agent agent, String conversaId, Instant at, long dueAt) {
    }
}
