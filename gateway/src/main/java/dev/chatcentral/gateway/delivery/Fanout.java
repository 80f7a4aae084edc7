package dev.chatcentral.gateway.delivery;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;

import dev.chatcentral.schemas.event.RealtimeEvent;

/** The index channel -> subscribed sessions of this node, and the delivery of each event through it. */
@Component
public class Fanout {

    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private final ConcurrentMap<String, Set<ClientSession>> subscribers = new ConcurrentHashMap<>();

    /** The caller has already checked that the session's agent may see {@code channel}. */
    public void subscribe(ClientSession session, String channel) {
        // compute() is atomic per key, so a subscribe never lands in a set that an unsubscribe is dropping
        subscribers.compute(channel, (key, sessions) -> {
            Set<ClientSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            set.add(session);
            return set;
        });
        session.channels().add(channel);
    }

    public void unsubscribe(ClientSession session, String channel) {
        session.channels().remove(channel);
        subscribers.computeIfPresent(channel, (key, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    public void unsubscribeAll(ClientSession session) {
        for (String channel : Set.copyOf(session.channels())) {
            unsubscribe(session, channel);
        }
    }

    /**
     * Writes the event to every session subscribed to one of its channels whose agent belongs to the event's
     * empresa. The empresa check repeats what subscribing already ensured, so that a mislabelled event or a
     * channel id shared across empresas (atendente ids are not scoped) still cannot reach another tenant.
     */
    void deliver(ConsumerRecord<String, RealtimeEvent> record) {
        RealtimeEvent event = record.value();
        for (String channel : new LinkedHashSet<>(event.channels())) {
            Set<ClientSession> sessions = channel == null ? null : subscribers.get(channel);
            if (sessions == null) {
                continue;
            }
            TextMessage frame = null;
            for (ClientSession session : sessions) {
                if (!event.empresaId().equals(session.agent().empresaId())) {
                    log.warn("not delivering event {} of empresa {} on {} to session {} of empresa {}", event.id(),
                            event.empresaId(), channel, session.id(), session.agent().empresaId());
                    continue;
                }
                if (frame == null) {
                    frame = EventFrame.of(event, channel, record.offset());
                }
                session.send(frame);
            }
        }
    }
}
