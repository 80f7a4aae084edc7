package dev.chatcentral.processor.presence;

import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.schemas.serde.JsonSerde;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Presence and typing, a topology of its own (its own application id, so it fails and scales apart from the
 * conversas), built in one place for the application and the tests alike: {@code chat.signals} in (key =
 * empresaId, so one empresa's sessions and its online list live in one task), with every node's latest heartbeat
 * from {@code chat.gateway.heartbeats} in a global store; {@code presence_update} and {@code typing_*} events to
 * {@code chat.events} and each empresa's snapshot to {@code chat.presence} out, and the typing stops no gateway
 * reports (expiry, a last session ending, a dead node) also at once to the fast lane ({@link EphemeralEvents},
 * outside the transaction; gateways put the edges of typing frames there themselves). docs/presence.md has the
 * rules.
 */
public final class PresenceTopology {

    /** {@code empresa|user|session} → the open session. */
    public static final String SESSION_STORE = "presence-session-store";
    /** {@code empresa|user} → the online user, with status and grace deadline. */
    public static final String USER_STORE = "presence-user-store";
    /** {@code empresa|user|conversa} → the typing episode. */
    public static final String TYPING_STORE = "presence-typing-store";
    /** empresaId → the version of its presence, for snapshots and events. */
    public static final String VERSION_STORE = "presence-version-store";
    /** nodeId → the node's latest heartbeat (global: every task sees every node). */
    public static final String HEARTBEAT_STORE = "presence-heartbeat-store";

    static final String SIGNALS_SOURCE = "signals-source";
    static final String HEARTBEATS_SOURCE = "heartbeats-source";
    static final String HEARTBEATS_PROCESSOR = "heartbeats-processor";
    static final String PROCESSOR = "presence-processor";
    static final String EVENTS_SINK = "presence-events-sink";
    static final String SNAPSHOTS_SINK = "presence-snapshots-sink";
    static final String DLQ_SINK = "presence-dlq-sink";

    /** The largest record the topology writes: a snapshot, above the state changelogs' limit. */
    public static final int LARGEST_RECORD_BYTES = Math.max(Topics.PRESENCE_MAX_BYTES,
            Topics.STATE_CHANGELOG_MAX_BYTES);

    private PresenceTopology() {
    }

    /** Without a fast lane: typing on {@code chat.events} alone, as the topology's own tests read it. */
    public static Topology build(PresenceSettings settings) {
        return build(settings, EphemeralEvents.NONE);
    }

    /**
     * @param ephemeral where the typing stops this topology decides also go at once, outside the transaction (the fast
     *                  lane gateways deliver typing from), besides {@code chat.events}
     */
    public static Topology build(PresenceSettings settings, EphemeralEvents ephemeral) {
        Topology topology = new Topology();
        // values stay bytes up to the processors, so that a malformed signal or heartbeat is dropped with a reason
        // instead of failing deserialization and stopping the stream
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(HEARTBEAT_STORE), Serdes.String(),
                        new JsonSerde<>(NodeHeartbeat.class)).withLoggingDisabled(),
                HEARTBEATS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.NODE_HEARTBEATS.name(), HEARTBEATS_PROCESSOR,
                () -> new HeartbeatProcessor(settings.rejections()));
        topology.addSource(SIGNALS_SOURCE, Topics.SIGNALS.keySerde().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.SIGNALS.name());
        topology.addProcessor(PROCESSOR, () -> new PresenceProcessor(settings, ephemeral), SIGNALS_SOURCE);
        topology.addStateStore(store(SESSION_STORE, new JsonSerde<>(SessionEntry.class)), PROCESSOR);
        topology.addStateStore(store(USER_STORE, new JsonSerde<>(UserPresence.class)), PROCESSOR);
        topology.addStateStore(store(TYPING_STORE, new JsonSerde<>(TypingEntry.class)), PROCESSOR);
        topology.addStateStore(store(VERSION_STORE, Serdes.Long()), PROCESSOR);
        topology.addSink(EVENTS_SINK, Topics.EVENTS.name(),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(SNAPSHOTS_SINK, Topics.PRESENCE.name(),
                Topics.PRESENCE.keySerde().serializer(), Topics.PRESENCE.valueSerde().serializer(), PROCESSOR);
        // a malformed signal, byte for byte as it arrived
        topology.addSink(DLQ_SINK, Topics.DLQ.name(), Topics.DLQ.keySerde().serializer(),
                Topics.DLQ.valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /**
     * In memory, restored from its changelog after a restart: presence is small (who is online, in which sessions,
     * typing where), and each signal reads and writes these stores several times, which in a map costs no RocksDB
     * call, serialization into it or compaction behind it.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(Topics.STATE_CHANGELOG_MAX_BYTES)));
    }
}
