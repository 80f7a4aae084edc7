package dev.chatcentral.analytics.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Keyed by conversaId, where {@code chat.conversas} and {@code chat.mensagens} are co-partitioned: merges a
 * conversa's state changes and its mensagens into one {@link ConversaTrack} and turns each change into a
 * {@link Fact} for its empresa (key = empresaId). The two topics interleave in any order (a reply may be read before
 * the update that assigned the conversa, a customer's mensagem before the reopening it caused), so each figure is
 * decided by event times and flags, not by arrival; a mensagem is counted once, at its first sight, whatever
 * revisions follow.
 */
final class ConversaTracker implements Processor<String, ConversaTracker.Input, String, Fact> {

    /** A record of either topic, still as bytes, so a malformed one is dropped here and not by deserialization. */
    record Input(boolean conversa, byte[] value) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConversaTracker.class);

    private final AnalyticsSettings settings;
    private ProcessorContext<String, Fact> context;
    private KeyValueStore<String, ConversaTrack> tracks;
    private WindowStore<String, Long> seen;
    /** The timestamp of the record being processed, which the facts it produces keep. */
    private long timestamp;

    ConversaTracker(AnalyticsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Fact> context) {
        this.context = context;
        this.tracks = context.getStateStore(AnalyticsTopology.TRACK_STORE);
        this.seen = context.getStateStore(AnalyticsTopology.SEEN_STORE);
    }

    @Override
    public void process(Record<String, Input> record) {
        Input input = record.value();
        if (input == null || input.value() == null) {
            return;
        }
        timestamp = record.timestamp();
        String topic = input.conversa() ? Topics.CONVERSAS.name() : Topics.MENSAGENS.name();
        String rejected;
        try {
            rejected = input.conversa()
                    ? onConversa(record.key(), Json.MAPPER.readValue(input.value(), Conversa.class))
                    : onMensagem(record.key(), Json.MAPPER.readValue(input.value(), Mensagem.class));
        } catch (JacksonException | ArithmeticException e) {
            rejected = "unreadable";
        }
        if (rejected != null) {
            log.debug("dropped a record of {} keyed {}: {}", topic, record.key(), rejected);
            settings.listener().rejected(topic, rejected);
        }
    }

    private long latestAllowedMs() {
        return context.currentSystemTimeMs() + settings.maxClockSkew().toMillis();
    }

    /** @return why the conversa was dropped, or null */
    private String onConversa(String key, Conversa c) {
        if (c == null || !InputIds.valid(key) || !key.equals(c.conversaId()) || !InputIds.valid(c.empresaId())) {
            return "invalid_id";
        }
        if (c.status() == null || (c.status() == ConversaStatus.EM_ATENDIMENTO && c.atendenteId() == null)) {
            return "missing_field";
        }
        if (c.atendenteId() != null && !InputIds.valid(c.atendenteId())) {
            return "invalid_id";
        }
        Instant t = c.updatedAt();
        Instant created = c.createdAt() == null ? t : c.createdAt();
        if (!InputIds.sane(t, latestAllowedMs()) || !InputIds.sane(created, latestAllowedMs())) {
            return "out_of_range";
        }
        ConversaTrack track = tracks.get(key);
        if (track == null) {
            track = new ConversaTrack(c.empresaId());
        } else if (!track.empresaId.equals(c.empresaId())) {
            return "empresa_changed";
        } else if (c.version() <= track.version) {
            return null;
        }
        Fact.View before = track.view();
        List<Fact.Event> events = new ArrayList<>();
        ConversaStatus previous = track.status;
        if (c.status() != ConversaStatus.ENCERRADA
                && (previous == null || previous == ConversaStatus.ENCERRADA)) {
            track.episodeStart = previous == null ? created : t;
            track.waitingSince = track.episodeStart;
        }
        switch (c.status()) {
            case AGUARDANDO -> {
                if (previous == ConversaStatus.EM_ATENDIMENTO) {
                    track.waitingSince = t;
                }
                track.atendenteId = null;
            }
            case EM_ATENDIMENTO -> {
                if (track.assignedAt == null) {
                    track.assignedAt = t;
                    track.assignedTo = c.atendenteId();
                    events.add(new Fact.Event(Fact.Kind.ASSIGNED, t, between(track.episodeStart, t),
                            track.episodeStart, c.atendenteId()));
                    if (track.unattributedAt != null) {
                        events.add(new Fact.Event(Fact.Kind.RESPONSE_ATTRIBUTED, track.unattributedAt,
                                track.unattributedMs, null, c.atendenteId()));
                        track.unattributedAt = null;
                    }
                }
                track.atendenteId = c.atendenteId();
                track.waitingSince = null;
            }
            case ENCERRADA -> {
                if (previous != ConversaStatus.ENCERRADA) {
                    String who = track.atendenteId != null ? track.atendenteId : track.assignedTo;
                    long handling = track.assignedAt == null ? 0 : between(track.assignedAt, t);
                    events.add(new Fact.Event(Fact.Kind.CLOSED, t, handling, track.assignedAt, who));
                    closeEpisode(track, t);
                }
            }
        }
        track.status = c.status();
        track.version = c.version();
        tracks.put(key, track);
        emit(key, track, before, events);
        return null;
    }

    /** The next episode starts afresh: its first assignment and first response are still to come. */
    private static void closeEpisode(ConversaTrack track, Instant t) {
        track.closedAt = t;
        track.atendenteId = null;
        track.waitingSince = null;
        track.assignedAt = null;
        track.assignedTo = null;
        track.firstCustomerAt = null;
        track.responded = false;
        track.unattributedAt = null;
        track.unansweredSince = null;
    }

    /** @return why the mensagem was dropped, or null */
    private String onMensagem(String key, Mensagem m) {
        if (m == null || !InputIds.valid(key) || !key.equals(m.conversaId()) || !InputIds.valid(m.empresaId())
                || !InputIds.valid(m.mensagemId())) {
            return "invalid_id";
        }
        Instant at = m.sentAt() != null ? m.sentAt() : m.receivedAt();
        if (!InputIds.sane(at, latestAllowedMs())) {
            return "out_of_range";
        }
        ConversaTrack track = tracks.get(key);
        if (track == null) {
            track = new ConversaTrack(m.empresaId());
        } else if (!track.empresaId.equals(m.empresaId())) {
            return "empresa_changed";
        }
        if (seenBefore(StoreKeys.scoped(key) + m.mensagemId(), at.toEpochMilli())) {
            return null;
        }
        Fact.View before = track.view();
        List<Fact.Event> events = new ArrayList<>();
        String who = track.status == ConversaStatus.EM_ATENDIMENTO ? track.atendenteId : null;
        events.add(new Fact.Event(m.fromMe() ? Fact.Kind.MENSAGEM_OUT : Fact.Kind.MENSAGEM_IN, at, 0, null, who));
        // a mensagem from before the latest close belongs to the closed episode: counted, but it answers nothing
        boolean currentEpisode = track.closedAt == null || at.isAfter(track.closedAt);
        if (!m.fromMe()) {
            track.lastCustomerAt = later(track.lastCustomerAt, at);
            if (currentEpisode) {
                if (!track.responded && (track.firstCustomerAt == null || at.isBefore(track.firstCustomerAt))) {
                    track.firstCustomerAt = at;
                }
                if (track.unansweredSince == null && (track.lastReplyAt == null || at.isAfter(track.lastReplyAt))) {
                    track.unansweredSince = at;
                }
            }
        } else {
            track.lastReplyAt = later(track.lastReplyAt, at);
            if (currentEpisode && !track.responded && track.firstCustomerAt != null
                    && !at.isBefore(track.firstCustomerAt)) {
                long ms = between(track.firstCustomerAt, at);
                track.responded = true;
                events.add(new Fact.Event(Fact.Kind.FIRST_RESPONSE, at, ms, track.firstCustomerAt, who));
                if (who == null) {
                    track.unattributedAt = at;
                    track.unattributedMs = ms;
                }
            }
            if (track.unansweredSince != null) {
                // answered up to its latest customer mensagem, or else that mensagem is the one now awaiting (the
                // tracker keeps no history of a conversa's mensagens, only its latest of each side)
                track.unansweredSince = track.lastReplyAt.isBefore(track.lastCustomerAt)
                        ? (track.unansweredSince.isBefore(at) ? track.lastCustomerAt : track.unansweredSince)
                        : null;
            }
        }
        tracks.put(key, track);
        emit(key, track, before, events);
        return null;
    }

    /** Whether this mensagemId was counted already; remembers it otherwise. */
    private boolean seenBefore(String mensagemKey, long atMs) {
        try (WindowStoreIterator<Long> found = seen.fetch(mensagemKey, atMs, atMs)) {
            if (found.hasNext()) {
                return true;
            }
        }
        seen.put(mensagemKey, atMs, atMs);
        return false;
    }

    private void emit(String conversaId, ConversaTrack track, Fact.View before, List<Fact.Event> events) {
        Fact.View after = track.view();
        if (events.isEmpty() && after.equals(before)) {
            return;
        }
        context.forward(new Record<>(track.empresaId, new Fact(track.empresaId, conversaId, after, events),
                timestamp));
    }

    private static long between(Instant from, Instant to) {
        return from == null ? 0 : Math.max(0, Duration.between(from, to).toMillis());
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
