package dev.chatcentral.processor.presence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.DeadLetters;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.schemas.event.AtendenteTypingData;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.PresenceUpdateData;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Applies signals to the presence and typing stores and emits what changed, on edges only; a wall-clock punctuator
 * expires the sessions of dead gateway nodes, ends grace periods and stops typing nobody refreshed. Every change
 * of an empresa's online set or statuses bumps its version and writes its snapshot, once per signal or sweep.
 *
 * <p>Longer than the other processors on purpose: every signal handler and the sweep change the same three stores
 * under that one rule (edges only, one version bump and snapshot per signal or sweep); split, the rule would be
 * written twice.
 */
final class PresenceProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(PresenceProcessor.class);
    private static final StringSerializer PREFIX = new StringSerializer();

    private final PresenceSettings settings;
    private final EphemeralEvents ephemeral;
    /** Empresas whose presence changed during the current signal or sweep: each gets one snapshot at its end. */
    private final Set<String> changed = new TreeSet<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SessionEntry> sessions;
    private KeyValueStore<String, UserPresence> users;
    private KeyValueStore<String, TypingEntry> typing;
    private KeyValueStore<String, Long> versions;
    private KeyValueStore<String, NodeHeartbeat> heartbeats;

    PresenceProcessor(PresenceSettings settings, EphemeralEvents ephemeral) {
        this.settings = settings;
        this.ephemeral = ephemeral;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sessions = context.getStateStore(PresenceTopology.SESSION_STORE);
        this.users = context.getStateStore(PresenceTopology.USER_STORE);
        this.typing = context.getStateStore(PresenceTopology.TYPING_STORE);
        this.versions = context.getStateStore(PresenceTopology.VERSION_STORE);
        this.heartbeats = context.getStateStore(PresenceTopology.HEARTBEAT_STORE);
        context.schedule(settings.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // signals are keyed by empresa
        try (LogContext logContext = LogContext.ofRecord(record.key(), record.headers())) {
            processSignal(record);
        }
    }

    private void processSignal(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String position = source.partition() + ":" + source.offset();
        PoisonRecords.Poison poison = settings.poison().take(source.topic(), source.partition(), source.offset());
        if (poison != null) {
            deadLetter(record, source, poison.reason(), poison.failure());
            return;
        }
        Signal signal;
        try {
            signal = SignalParser.signal(record.key(), record.value());
        } catch (InvalidSignalException e) {
            deadLetter(record, source, e.reason(), e);
            return;
        }
        Moment at = new Moment(context.currentSystemTimeMs(), signal.ts(), record.timestamp());
        switch (signal.type()) {
            case Signal.SESSION_OPENED -> sessionOpened(signal, at);
            case Signal.SESSION_CLOSED -> sessionClosed(signal, at);
            case Signal.STATUS_CHANGED -> statusChanged(signal, at);
            case Signal.TYPING_START -> typingStarted(signal, position, at);
            default -> typingStopped(signal, at);
        }
        writeSnapshots(at);
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata source, DeadLetterReason reason,
                            Exception failure) {
        log.warn("signal at {}-{}@{} of empresa {} goes to the DLQ ({}): {}", source.topic(), source.partition(),
                source.offset(), record.key(), reason.code(), failure.getMessage());
        settings.deadLetters().deadLettered(DeadLetterStage.PRESENCE, reason, record.key());
        if (settings.dlqEnabled()) {
            context.forward(DeadLetters.of(record, source, DeadLetterStage.PRESENCE, reason, failure,
                    context.currentSystemTimeMs()), PresenceTopology.DLQ_SINK);
        }
    }

    private void sessionOpened(Signal signal, Moment at) {
        String empresaId = signal.empresaId();
        sessions.put(PresenceKeys.of(empresaId, signal.userId(), signal.sessionId()),
                new SessionEntry(empresaId, signal.userId(), signal.sessionId(), signal.nodeId(), signal.bootEpoch(),
                        signal.ts()));
        String userKey = PresenceKeys.of(empresaId, signal.userId());
        UserPresence user = users.get(userKey);
        if (user == null) {
            UserPresence online = new UserPresence(empresaId, signal.userId(), signal.name(), PresenceStatus.DISPONIVEL,
                    signal.ts(), null, signal.roles());
            users.put(userKey, online);
            presenceUpdate(online, true, at);
            return;
        }
        // another tab, or back within the grace period: still online, nothing to tell anyone
        UserPresence next = user.withName(signal.name() != null ? signal.name() : user.name()).withGraceUntil(null)
                .withRoles(signal.roles());
        if (!next.equals(user)) {
            users.put(userKey, next);
            if (!Objects.equals(next.roles(), user.roles())) {
                // who may be handed conversas changed: the snapshot tells automatic assignment
                changed.add(empresaId);
            }
        }
    }

    private void sessionClosed(Signal signal, Moment at) {
        if (sessions.delete(PresenceKeys.of(signal.empresaId(), signal.userId(), signal.sessionId())) != null) {
            sessionEnded(signal.empresaId(), signal.userId(), at);
        }
    }

    /** After a session closed or expired: the user's last one starts the grace period and ends their typing. */
    private void sessionEnded(String empresaId, String userId, Moment at) {
        if (sessionCount(empresaId, userId) > 0) {
            return;
        }
        stopTyping(empresaId, userId, at);
        String userKey = PresenceKeys.of(empresaId, userId);
        UserPresence user = users.get(userKey);
        if (user != null && user.graceUntil() == null) {
            users.put(userKey, user.withGraceUntil(at.wallClock() + settings.grace().toMillis()));
        }
    }

    private void statusChanged(Signal signal, Moment at) {
        String userKey = PresenceKeys.of(signal.empresaId(), signal.userId());
        UserPresence user = users.get(userKey);
        if (user == null) {
            log.debug("status of offline user {} of empresa {} ignored", signal.userId(), signal.empresaId());
            return;
        }
        if (!user.status().equals(signal.status())) {
            UserPresence next = user.withStatus(signal.status());
            users.put(userKey, next);
            presenceUpdate(next, true, at);
        }
    }

    private void typingStarted(Signal signal, String position, Moment at) {
        String key = PresenceKeys.of(signal.empresaId(), signal.userId(), signal.conversaId());
        long expiresAt = at.wallClock() + settings.typingTimeout().toMillis();
        long signalledAt = signal.ts().toEpochMilli();
        TypingEntry entry = typing.get(key);
        if (entry != null) {
            TypingEntry refreshed = entry.refreshed(expiresAt, signalledAt);
            // clients drop a typing indicator a timeout after the start they saw (the start may be all a late
            // client gets), so someone typing for longer is announced again, once more than half a timeout passed
            if (at.wallClock() - entry.announcedAt() > settings.typingTimeout().toMillis() / 2) {
                refreshed = refreshed.announcedAgain(position, at.wallClock());
                typingEvent(EventType.TYPING_START, refreshed, at, Lane.RECORD);
            }
            typing.put(key, refreshed);
            return;
        }
        String name = signal.name();
        if (name == null) {
            UserPresence user = users.get(PresenceKeys.of(signal.empresaId(), signal.userId()));
            name = user == null ? null : user.name();
        }
        TypingEntry started = new TypingEntry(signal.empresaId(), signal.conversaId(), signal.userId(), name, position,
                expiresAt, position, at.wallClock(), signalledAt);
        typing.put(key, started);
        typingEvent(EventType.TYPING_START, started, at, Lane.RECORD);
    }

    private void typingStopped(Signal signal, Moment at) {
        TypingEntry entry = typing.delete(PresenceKeys.of(signal.empresaId(), signal.userId(), signal.conversaId()));
        if (entry != null) {
            typingEvent(EventType.TYPING_STOP, entry, at, Lane.RECORD);
        }
    }

    private void stopTyping(String empresaId, String userId, Moment at) {
        for (KeyValue<String, TypingEntry> entry : scan(typing, PresenceKeys.prefix(empresaId, userId))) {
            typing.delete(entry.key);
            typingEvent(EventType.TYPING_STOP, entry.value, at, Lane.FAST);
        }
    }

    private void sweep(long now) {
        Moment at = new Moment(now, Instant.ofEpochMilli(now), now);
        Set<List<String>> ended = new LinkedHashSet<>();
        for (KeyValue<String, SessionEntry> entry : all(sessions)) {
            SessionEntry session = entry.value;
            String deadBecause = deadBecause(session, now);
            if (deadBecause != null) {
                sessions.delete(entry.key);
                log.info("session {} of user {} (empresa {}) expired: node {} {}", session.sessionId(),
                        session.userId(), session.empresaId(), session.nodeId(), deadBecause);
                ended.add(List.of(session.empresaId(), session.userId()));
            }
        }
        ended.forEach(user -> sessionEnded(user.get(0), user.get(1), at));
        for (KeyValue<String, UserPresence> entry : all(users)) {
            UserPresence user = entry.value;
            if (user.graceUntil() != null && user.graceUntil() <= now) {
                users.delete(entry.key);
                presenceUpdate(user, false, at);
            }
        }
        for (KeyValue<String, TypingEntry> entry : all(typing)) {
            TypingEntry expired = entry.value;
            if (expired.expiresAt() <= now) {
                typing.delete(entry.key);
                // dated when it ended for the gateway that reported it, a timeout after its last start: a start
                // that gateway reported since is later, and the other gateways keep showing it
                Moment expiredAt = expired.signalledAt() > 0 ? new Moment(at.wallClock(),
                        Instant.ofEpochMilli(expired.signalledAt() + settings.typingTimeout().toMillis()),
                        at.timestamp()) : at;
                typingEvent(EventType.TYPING_STOP, expired, expiredAt, Lane.FAST);
            }
        }
        writeSnapshots(at);
    }

    /**
     * Why the session's node counts as dead, or null while it lives: a heartbeat of a later run means it restarted;
     * otherwise the newest proof of life of the session's run (its heartbeat, or the session opening itself, when
     * no heartbeat of that run arrived yet) must be younger than the node timeout.
     */
    private String deadBecause(SessionEntry session, long now) {
        NodeHeartbeat heartbeat = heartbeats.get(session.nodeId());
        long lastSeen = session.openedAt().toEpochMilli();
        if (heartbeat != null) {
            if (heartbeat.bootEpoch() > session.bootEpoch()) {
                return "restarted (boot epoch " + session.bootEpoch() + " -> " + heartbeat.bootEpoch() + ")";
            }
            if (heartbeat.bootEpoch() == session.bootEpoch()) {
                lastSeen = Math.max(lastSeen, heartbeat.ts().toEpochMilli());
            }
        }
        long silence = now - lastSeen;
        return silence > settings.nodeTimeout().toMillis() ? "silent for " + silence + " ms" : null;
    }

    private int sessionCount(String empresaId, String userId) {
        return scan(sessions, PresenceKeys.prefix(empresaId, userId)).size();
    }

    private void presenceUpdate(UserPresence user, boolean online, Moment at) {
        String empresaId = user.empresaId();
        Long previous = versions.get(empresaId);
        long version = previous == null ? 1 : previous + 1;
        versions.put(empresaId, version);
        changed.add(empresaId);
        PresenceUpdateData data = new PresenceUpdateData(user.userId(), user.name(), online, user.status(),
                online ? sessionCount(empresaId, user.userId()) : 0, online ? user.since() : null, version, at.ts());
        // the empresa's version numbers its presence changes, so it names this one across replays
        RealtimeEvent event = new RealtimeEvent(nameUuid(EventType.PRESENCE_UPDATE + "|" + empresaId + "|" + version),
                empresaId, EventType.PRESENCE_UPDATE, List.of(Channel.presence(empresaId)),
                Json.MAPPER.valueToTree(data), at.ts());
        context.forward(new Record<>(empresaId, event, at.timestamp()), PresenceTopology.EVENTS_SINK);
    }

    private void typingEvent(String type, TypingEntry entry, Moment at, Lane lane) {
        AtendenteTypingData data = new AtendenteTypingData(entry.conversaId(), AtendenteTypingData.WHO_ATENDENTE,
                entry.userId(), entry.name());
        // a start again names the refresh that announced it; the episode's first start and its stop keep their ids
        String cause = EventType.TYPING_START.equals(type) && entry.announced() != null
                && !entry.announced().equals(entry.episode()) ? entry.episode() + "|" + entry.announced()
                : entry.episode();
        RealtimeEvent event = new RealtimeEvent(nameUuid(type + "|" + cause), entry.empresaId(), type,
                List.of(Channel.conversa(entry.conversaId())), Json.MAPPER.valueToTree(data), at.ts());
        if (lane == Lane.FAST) {
            // the fast lane first: gateways show it now, while chat.events keeps it once the transaction commits
            ephemeral.publish(event, at.timestamp());
        }
        context.forward(new Record<>(entry.empresaId(), event, at.timestamp()), PresenceTopology.EVENTS_SINK);
    }

    private void writeSnapshots(Moment at) {
        for (String empresaId : changed) {
            List<PresenceSnapshot.OnlineUser> online = new ArrayList<>();
            for (KeyValue<String, UserPresence> entry : scan(users, PresenceKeys.prefix(empresaId))) {
                UserPresence user = entry.value;
                online.add(new PresenceSnapshot.OnlineUser(user.userId(), user.name(), user.status(), user.since(),
                        user.roles()));
            }
            online.sort(Comparator.comparing(PresenceSnapshot.OnlineUser::userId));
            PresenceSnapshot snapshot = new PresenceSnapshot(empresaId, online, online.size(),
                    versions.get(empresaId), at.ts());
            context.forward(new Record<>(empresaId, snapshot, at.timestamp()), PresenceTopology.SNAPSHOTS_SINK);
        }
        changed.clear();
    }

    /** Read whole before anything is changed, so deleting while going through never disturbs an open iterator. */
    private static <V> List<KeyValue<String, V>> scan(KeyValueStore<String, V> store, String prefix) {
        try (KeyValueIterator<String, V> iterator = store.prefixScan(prefix, PREFIX)) {
            return drain(iterator);
        }
    }

    private static <V> List<KeyValue<String, V>> all(KeyValueStore<String, V> store) {
        try (KeyValueIterator<String, V> iterator = store.all()) {
            return drain(iterator);
        }
    }

    private static <V> List<KeyValue<String, V>> drain(KeyValueIterator<String, V> iterator) {
        List<KeyValue<String, V>> entries = new ArrayList<>();
        iterator.forEachRemaining(entries::add);
        return entries;
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Where a typing event goes besides {@code chat.events}: the gateway that took a typing frame already put its start
     * or stop on the fast lane ({@code TypingLane} there), so only the stops this processor decides itself go there.
     */
    private enum Lane {
        RECORD, FAST
    }

    /**
     * When something happens: {@code wallClock} for deadlines (the punctuator runs on it), {@code ts} for what
     * clients see, {@code timestamp} for the output records.
     */
    private record Moment(long wallClock, Instant ts, long timestamp) {
    }
}
