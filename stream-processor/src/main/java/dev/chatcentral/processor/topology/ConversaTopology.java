package dev.chatcentral.processor.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The stream processor's topology, built in one place for the application and the tests alike:
 * {@code chat.webhooks} in; conversas, mensagens, realtime events and dead letters out. Both state stores are
 * changelogged (Kafka Streams' default), so under exactly-once they move in step with the outputs.
 */
public final class ConversaTopology {

    public static final String CONVERSA_STORE = "conversa-store";
    public static final String DEDUPE_STORE = "dedupe-store";

    static final String SOURCE = "webhooks-source";
    static final String PROCESSOR = "webhook-processor";
    static final String CONVERSAS_SINK = "conversas-sink";
    static final String MENSAGENS_SINK = "mensagens-sink";
    static final String EVENTS_SINK = "events-sink";
    static final String DLQ_SINK = "webhooks-dlq-sink";

    private ConversaTopology() {
    }

    public static Topology build(TopologySettings settings) {
        StoreBuilder<KeyValueStore<String, Conversa>> conversas = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CONVERSA_STORE), Serdes.String(), Topics.CONVERSAS.valueSerde());
        StoreBuilder<KeyValueStore<String, Long>> dedupe = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEDUPE_STORE), Serdes.String(), Serdes.Long());

        Topology topology = new Topology();
        // values stay bytes here so that a malformed webhook reaches the processor and the DLQ, byte for byte
        topology.addSource(SOURCE, Topics.WEBHOOKS.keySerde().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.WEBHOOKS.name());
        topology.addProcessor(PROCESSOR, () -> new WebhookProcessor(settings), SOURCE);
        topology.addStateStore(conversas, PROCESSOR);
        topology.addStateStore(dedupe, PROCESSOR);
        topology.addSink(CONVERSAS_SINK, Topics.CONVERSAS.name(),
                Topics.CONVERSAS.keySerde().serializer(), Topics.CONVERSAS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(MENSAGENS_SINK, Topics.MENSAGENS.name(),
                Topics.MENSAGENS.keySerde().serializer(), Topics.MENSAGENS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(EVENTS_SINK, Topics.EVENTS.name(),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, Topics.WEBHOOKS_DLQ.name(),
                Topics.WEBHOOKS_DLQ.keySerde().serializer(), Topics.WEBHOOKS_DLQ.valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
