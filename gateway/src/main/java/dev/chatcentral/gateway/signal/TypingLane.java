package dev.chatcentral.gateway.signal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
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
 * other nodes show it one hop later instead of after the presence topology's turn (docs/presence.md). The frame still
 * goes to {@code chat.signals} as well: the processor keeps typing's record in {@code chat.events} and decides the
 * stops no frame reports (no news for the typing timeout, the typist's last session ending, their node dying).
 *
 * <p>A start is announced when this node saw no typing of that atendente in that conversa for the typing timeout, and
 * again once more than half a timeout passed since the last announcement (a client that joins late shows the start
 * it gets for one timeout only); a stop always. Each event is dated with the signal's own {@code ts}, so gateways can
 * put this node's events and the processor's stops in one order ({@code TypingOrder} there).
 */
@Component
public class TypingLane implements SessionListener, DisposableBean {

    private final EphemeralWriter writer;
    private final long timeoutMillis;
    /** Typing this node announced, by empresa, user and conversa. */
    private final Map<String, Announced> announced = new ConcurrentHashMap<>();
    private volatile long prunedAt = System.currentTimeMillis();

    public TypingLane(KafkaProperties kafka, DeliveryProperties delivery, MeterRegistry meterRegistry) {
        this.writer = new EphemeralWriter(kafka.buildProducerProperties(), "gateway", meterRegistry);
        this.timeoutMillis = delivery.typingTimeout().toMillis();
    }

    /**
     * Announces a typing frame of {@code agent} in {@code conversaId}, already authorized, when it changes what the
     * other nodes show.
     *
     * @param type {@link Signal#TYPING_START} or {@link Signal#TYPING_STOP}
     * @return the frame's time, which its signal must carry too
     */
    public Instant report(Agent agent, String conversaId, String type) {
        Instant at = Instant.now();
        long now = at.toEpochMilli();
        String key = agent.empresaId() + "|" + agent.userId() + "|" + conversaId;
        if (Signal.TYPING_STOP.equals(type)) {
            announced.remove(key);
            announce(EventType.TYPING_STOP, agent, conversaId, at);
            return at;
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
        prune(now);
        return at;
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
     * Forgets what this node announced for the user: the processor stops their typing when their last session ends,
     * so a start they type after coming back (within half a timeout) must be announced again, not taken for a repeat.
     * Typing frames come only over WebSocket, so a long-poll answered and closed changes nothing.
     */
    @Override
    public void closed(ClientSession session) {
        if (session.transport() == Transport.POLL) {
            return;
        }
        String prefix = session.agent().empresaId() + "|" + session.agent().userId() + "|";
        announced.keySet().removeIf(key -> key.startsWith(prefix));
    }

    /** Forgets typing nobody reported for a timeout, at most once per timeout, so the map holds only live typing. */
    private void prune(long now) {
        if (now - prunedAt <= timeoutMillis) {
            return;
        }
        prunedAt = now;
        announced.values().removeIf(last -> now - last.seenAt > timeoutMillis);
    }

    @Override
    public void destroy() {
        writer.close();
    }

    /** When this node last announced a start of this typing, and last saw a frame of it (epoch millis). */
    private record Announced(long announcedAt, long seenAt) {
    }
}
