package dev.chatcentral.analytics.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.serde.JsonSerde;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The analytics topology, built in one place for the application and its tests:
 * {@code chat.conversas} and {@code chat.mensagens} in (key = conversaId, co-partitioned), merged by a
 * {@link ConversaTracker} into {@link Fact}s; those re-keyed by empresaId through the application's own repartition
 * topic to an {@link EmpresaAggregator}, which writes each empresa's {@link ServiceMetrics} to
 * {@code chat.service.metrics}. Nothing else is read or written: its internal topics carry its application id.
 */
public final class AnalyticsTopology {

    /** conversaId → what the tracker knows of the conversa. */
    public static final String TRACK_STORE = "analytics-track-store";
    /** conversaId|mensagemId at its event time → seen, for {@code dedupeRetention}. */
    public static final String SEEN_STORE = "analytics-seen-store";
    /** empresaId → its stream time and whether it changed. */
    public static final String EMPRESA_STORE = "analytics-empresa-store";
    /** empresa|conversaId → where the conversa stands, and the breaches counted for it. */
    public static final String VIEW_STORE = "analytics-view-store";
    /** empresa|size|start|E or A+atendenteId → the window's figures. */
    public static final String WINDOW_STORE = "analytics-window-store";
    /** The largest snapshot {@code chat.service.metrics} takes: its limit less a record's overhead in a batch. */
    public static final int MAX_RECORD_BYTES =
            Topics.SERVICE_METRICS.maxMessageBytes() - TopicSpec.RECORD_OVERHEAD_BYTES;
    /** The repartition topic's name within the application id: {@code <application.id>-analytics-facts-repartition}. */
    public static final String FACTS = "analytics-facts";

    private AnalyticsTopology() {
    }

    public static Topology build(AnalyticsSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(TRACK_STORE, new JsonSerde<>(ConversaTrack.class)));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_STORE,
                settings.dedupeRetention(), settings.dedupeRetention(), false), Serdes.String(), Serdes.Long()));
        builder.addStateStore(store(EMPRESA_STORE, new JsonSerde<>(EmpresaState.class)));
        builder.addStateStore(store(VIEW_STORE, new JsonSerde<>(TrackedView.class)));
        builder.addStateStore(store(WINDOW_STORE, new JsonSerde<>(ServiceMetrics.Figures.class)));

        // values stay bytes up to the tracker, so that a malformed record is dropped with a reason instead of
        // failing deserialization
        KStream<String, ConversaTracker.Input> conversas = builder
                .stream(Topics.CONVERSAS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("analytics-conversas-source"))
                .mapValues(v -> new ConversaTracker.Input(true, v), Named.as("analytics-conversas-tag"));
        KStream<String, ConversaTracker.Input> mensagens = builder
                .stream(Topics.MENSAGENS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("analytics-mensagens-source"))
                .mapValues(v -> new ConversaTracker.Input(false, v), Named.as("analytics-mensagens-tag"));
        conversas.merge(mensagens, Named.as("analytics-merge"))
                .process(() -> new ConversaTracker(settings), Named.as("analytics-tracker"), TRACK_STORE, SEEN_STORE)
                .repartition(Repartitioned.<String, Fact>as(FACTS)
                        .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(Fact.class)))
                .process(() -> new EmpresaAggregator(settings), Named.as("analytics-empresa"), EMPRESA_STORE,
                        VIEW_STORE, WINDOW_STORE)
                .to(Topics.SERVICE_METRICS.name(), Produced.with(Topics.SERVICE_METRICS.keySerde(),
                        Topics.SERVICE_METRICS.valueSerde()).withName("analytics-service-metrics-sink"));
        return builder.build();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
