package dev.chatcentral.processor.typing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.event.TypingData;
import dev.chatcentral.schemas.serde.Json;

/**
 * The customer typing in WhatsApp ({@code presence.update}) shown in the conversa like an atendente typing:
 * composing or recording starts it, anything else (paused, available, unavailable) stops it, on edges (WhatsApp
 * repeats composing every few seconds while the customer types), except that a customer still typing more than half
 * a timeout after the last start is announced again: clients drop an indicator a timeout after the start they saw.
 * A start never followed by a stop expires after {@link #TIMEOUT}, the seed's cleanup of typing indicators: the
 * customer may have closed WhatsApp mid-word.
 * The customers typing now are kept in a changelogged store keyed by conversa and customer.
 */
public final class CustomerTyping {

    /** How long a start holds without a repeat or a stop. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One customer typing in one conversa, since {@code lastSeen} (wall-clock ms of the latest composing);
     * {@code announcedAt}, the wall-clock ms of the last {@code typing_start} sent (0 in entries stored before it was
     * kept).
     */
    public record Typing(String empresaId, String conversaId, String jid, long lastSeen, long announcedAt) {
    }

    private final KeyValueStore<String, Typing> store;

    public CustomerTyping(KeyValueStore<String, Typing> store) {
        this.store = store;
    }

    /**
     * The event for one presence, or empty when nothing changes: a repeated start (which refreshes the timeout), a
     * stop of a customer not typing, or a value that says nothing about typing.
     */
    public Optional<RealtimeEvent> onPresence(Conversa conversa, String jid, String presence, String causeId,
                                              Instant ts, long now) {
        String key = conversa.conversaId() + "|" + jid;
        switch (presence) {
            case "composing", "recording" -> {
                Typing current = store.get(key);
                boolean announce = current == null || now - current.announcedAt() > TIMEOUT.toMillis() / 2;
                store.put(key, new Typing(conversa.empresaId(), conversa.conversaId(), jid, now,
                        announce ? now : current.announcedAt()));
                return announce ? Optional.of(event(conversa.empresaId(), conversa.conversaId(), jid,
                        EventType.TYPING_START, presence, causeId, ts)) : Optional.empty();
            }
            case "paused", "available", "unavailable" -> {
                boolean typing = store.get(key) != null;
                store.delete(key);
                return typing ? Optional.of(event(conversa.empresaId(), conversa.conversaId(), jid,
                        EventType.TYPING_STOP, presence, causeId, ts)) : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Stops (and forgets) every start older than the timeout; returns their typing_stop events. */
    public List<RealtimeEvent> expire(long now) {
        List<KeyValue<String, Typing>> expired = new ArrayList<>();
        try (KeyValueIterator<String, Typing> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (now - entry.value.lastSeen() >= TIMEOUT.toMillis()) {
                    expired.add(entry);
                }
            });
        }
        List<RealtimeEvent> events = new ArrayList<>();
        for (KeyValue<String, Typing> entry : expired) {
            store.delete(entry.key);
            Typing t = entry.value;
            events.add(event(t.empresaId(), t.conversaId(), t.jid(), EventType.TYPING_STOP, "expired",
                    "typing-expired:" + t.lastSeen(), Instant.ofEpochMilli(now)));
        }
        return events;
    }

    public boolean anyoneTyping() {
        try (KeyValueIterator<String, Typing> all = store.all()) {
            return all.hasNext();
        }
    }

    private static RealtimeEvent event(String empresaId, String conversaId, String jid, String type, String presence,
                                       String causeId, Instant ts) {
        TypingData data = new TypingData(conversaId, TypingData.WHO_CLIENTE, jid, presence);
        return new RealtimeEvent(DeterministicIds.eventId(causeId + ":" + jid, type), empresaId, type,
                List.of(Channel.conversa(conversaId)), Json.MAPPER.valueToTree(data), ts);
    }
}
