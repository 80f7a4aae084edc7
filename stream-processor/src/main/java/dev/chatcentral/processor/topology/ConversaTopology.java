package dev.chatcentral.processor.topology;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.chatcentral.processor.typing.CustomerTyping;
import dev.chatcentral.processor.command.KnownAtendentes;
import dev.chatcentral.processor.command.PendingSends;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.processor.instance.InstanceSilence;
import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.sla.SlaClocks;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.serde.JsonSerde;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The stream processor's topology, built in one place for the application and the tests alike:
 * {@code chat.webhooks} and {@code chat.webhooks.retry}, atendentes' {@code chat.commands}, the dispatcher's
 * {@code chat.outbound.results}, the gateways' {@code chat.signals}, and for automatic assignment
 * {@code chat.empresa.settings} and {@code chat.presence} in (also read by the SLA clocks), all keyed by empresaId and with one partition count,
 * each into a processor of its own ({@link WebhookProcessor}, {@link RetryProcessor}, {@link CommandProcessor},
 * {@link OutboundResultProcessor}, {@link SignalProcessor}, {@link SettingsProcessor},
 * {@link AvailabilityProcessor}). They share every store,
 * so they form one sub-topology: one task holds an empresa's partition of each, so its webhooks and commands are
 * processed one at a time against the same stores (a retry lands in the task that parked it; two atendentes taking
 * one conversa are decided in order). Conversas, mensagens, realtime events, replies to send, retries and dead
 * letters ({@code chat.dlq}) out. Every state store is changelogged (Kafka Streams' default), so
 * under exactly-once it moves in step with the outputs; its changelog topic is named after the store, so a store's
 * name never changes. Every input's values stay bytes: a malformed record reaches its processor, which reports it,
 * instead of stopping the stream in a deserializer.
 */
public final class ConversaTopology {

    public static final String CONVERSA_STORE = "conversa-store";
    public static final String DEDUPE_STORE = "dedupe-store";
    /** mensagemId → mensagem, for receipts (a WhatsApp key gives the id), commands and dispatch results. */
    public static final String MENSAGEM_INDEX_STORE = "mensagem-index-store";
    /** A customer's other identifier (LID or phone JID) → the one their conversa is keyed by. */
    public static final String JID_ALIAS_STORE = "jid-alias-store";
    /** Records waiting to be retried, one FIFO queue per conversa. */
    public static final String PARKING_STORE = "parking-store";
    /** conversaId → the conversa's key in {@link #CONVERSA_STORE}, for commands. */
    public static final String CONVERSA_ID_STORE = "conversa-id-store";
    /** A reply's WhatsApp key → its mensagemId in {@link #MENSAGEM_INDEX_STORE}: a reply's id is its command's. */
    public static final String REPLY_KEY_STORE = "reply-key-store";
    /** Commands already processed, by empresa and commandId, within the command dedupe window. */
    public static final String COMMAND_DEDUPE_STORE = "command-dedupe-store";
    /** Atendentes seen per empresa (empresaId|userId → name): the valid targets of a transfer. */
    public static final String ATENDENTE_STORE = "atendente-store";
    /** Replies handed to the dispatcher and not sent yet, per conversa. */
    public static final String PENDING_SEND_STORE = "pending-send-store";
    /** conversaId|customer jid → the customer typing there now, to expire a start never stopped. */
    public static final String CUSTOMER_TYPING_STORE = "customer-typing-store";

    /** empresaId|instance → the silence reported for that WhatsApp number, until its next webhook. */
    public static final String INSTANCE_SILENCE_STORE = "instance-silence-store";

    /** empresaId → the empresa's latest settings ({@code chat.empresa.settings}), for automatic assignment. */
    public static final String ASSIGNMENT_SETTINGS_STORE = "assignment-settings-store";
    /** empresa|userId → the status of each atendente online ({@code chat.presence}), for automatic assignment. */
    public static final String ASSIGNMENT_ONLINE_STORE = "assignment-online-store";
    /** Each empresa's waiting conversas in arrival order, and its round robin's place. */
    public static final String ASSIGNMENT_QUEUE_STORE = "assignment-queue-store";
    /** empresa|userId → the open conversas the atendente holds. */
    public static final String ASSIGNMENT_LOAD_STORE = "assignment-load-store";
    /** conversaId → the SLA clock of a conversa held by an atendente. */
    public static final String SLA_CLOCK_STORE = "sla-clock-store";
    /** Each SLA clock's next warning or due time, in time order, for the punctuator. */
    public static final String SLA_FIRING_STORE = "sla-firing-store";

    static final String SOURCE = "webhooks-source";
    static final String RETRY_SOURCE = "webhooks-retry-source";
    static final String COMMANDS_SOURCE = "commands-source";
    static final String RESULTS_SOURCE = "outbound-results-source";
    static final String SIGNALS_SOURCE = "signals-source";
    static final String SETTINGS_SOURCE = "empresa-settings-source";
    static final String PRESENCE_SOURCE = "presence-source";
    static final String WEBHOOKS_PROCESSOR = "webhook-processor";
    static final String RETRY_PROCESSOR = "webhooks-retry-processor";
    static final String COMMANDS_PROCESSOR = "commands-processor";
    static final String RESULTS_PROCESSOR = "outbound-results-processor";
    static final String SIGNALS_PROCESSOR = "signals-processor";
    static final String SETTINGS_PROCESSOR = "empresa-settings-processor";
    static final String PRESENCE_PROCESSOR = "presence-processor";
    static final String CONVERSAS_SINK = "conversas-sink";
    static final String MENSAGENS_SINK = "mensagens-sink";
    static final String EVENTS_SINK = "events-sink";
    static final String RETRY_SINK = "webhooks-retry-sink";
    static final String DLQ_SINK = "webhooks-dlq-sink";
    static final String OUTBOUND_SINK = "outbound-sink";

    /** The largest record the topology writes: the state changelogs' limit, above every output topic's. */
    public static final int LARGEST_RECORD_BYTES = Math.max(Topics.STATE_CHANGELOG_MAX_BYTES,
            Topics.FORWARDED_MAX_BYTES);

    private static final Serializer<String> KEYS = Serdes.String().serializer();
    private static final Serializer<byte[]> VALUES = Serdes.ByteArray().serializer();

    private ConversaTopology() {
    }

    /** Without a fast lane: customer typing on {@code chat.events} alone, as the topology's own tests read it. */
    public static Topology build(TopologySettings settings) {
        return build(settings, EphemeralEvents.NONE);
    }

    /**
     * @param ephemeral where each customer typing event also goes at once, outside the transaction (the fast lane
     *                  gateways deliver typing from), besides {@code chat.events}
     */
    public static Topology build(TopologySettings settings, EphemeralEvents ephemeral) {
        return build(settings, ephemeral, UnaryOperator.identity());
    }

    /**
     * The same topology writing elsewhere: {@code outputs} names each topic it writes from the catalog's name, its
     * own retry loop ({@code chat.webhooks.retry}, read and written) included, while the other inputs stay the
     * catalog's. {@code bin/replay shadow} runs production's inputs through it, with no fast lane, into a prefixed
     * set of topics.
     */
    public static Topology build(TopologySettings settings, EphemeralEvents ephemeral, UnaryOperator<String> outputs) {
        Topology topology = new Topology();
        // values stay bytes here so that a malformed webhook reaches the processor and the DLQ, byte for byte
        topology.addSource(SOURCE, Topics.WEBHOOKS.keySerde().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.WEBHOOKS.name());
        topology.addSource(RETRY_SOURCE, Topics.WEBHOOKS_RETRY.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), outputs.apply(Topics.WEBHOOKS_RETRY.name()));
        topology.addSource(COMMANDS_SOURCE, Topics.COMMANDS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.COMMANDS.name());
        topology.addSource(RESULTS_SOURCE, Topics.OUTBOUND_RESULTS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.OUTBOUND_RESULTS.name());
        topology.addSource(SIGNALS_SOURCE, Topics.SIGNALS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.SIGNALS.name());
        topology.addSource(SETTINGS_SOURCE, Topics.EMPRESA_SETTINGS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.EMPRESA_SETTINGS.name());
        topology.addSource(PRESENCE_SOURCE, Topics.PRESENCE.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.PRESENCE.name());
        ConversaTasks tasks = new ConversaTasks(settings);
        topology.addProcessor(WEBHOOKS_PROCESSOR, () -> new WebhookProcessor(tasks, ephemeral), SOURCE);
        topology.addProcessor(RETRY_PROCESSOR, () -> new RetryProcessor(tasks), RETRY_SOURCE);
        topology.addProcessor(COMMANDS_PROCESSOR, () -> new CommandProcessor(tasks), COMMANDS_SOURCE);
        topology.addProcessor(RESULTS_PROCESSOR, () -> new OutboundResultProcessor(tasks), RESULTS_SOURCE);
        topology.addProcessor(SIGNALS_PROCESSOR, () -> new SignalProcessor(tasks), SIGNALS_SOURCE);
        topology.addProcessor(SETTINGS_PROCESSOR, () -> new SettingsProcessor(tasks), SETTINGS_SOURCE);
        topology.addProcessor(PRESENCE_PROCESSOR, () -> new AvailabilityProcessor(tasks), PRESENCE_SOURCE);
        // every processor reaches every store: they share them (ConversaTask), which keeps them in one task
        String[] all = {WEBHOOKS_PROCESSOR, RETRY_PROCESSOR, COMMANDS_PROCESSOR, RESULTS_PROCESSOR, SIGNALS_PROCESSOR,
            SETTINGS_PROCESSOR, PRESENCE_PROCESSOR};
        topology.addStateStore(store(CONVERSA_STORE, Topics.CONVERSAS.valueSerde()), all);
        topology.addStateStore(store(DEDUPE_STORE, Serdes.Long()), all);
        topology.addStateStore(store(MENSAGEM_INDEX_STORE, new JsonSerde<>(MensagemIndex.Entry.class)), all);
        topology.addStateStore(store(JID_ALIAS_STORE, Serdes.String()), all);
        topology.addStateStore(store(PARKING_STORE, new JsonSerde<>(ParkedRecord.class)), all);
        topology.addStateStore(store(CONVERSA_ID_STORE, Serdes.String()), all);
        topology.addStateStore(store(REPLY_KEY_STORE, Serdes.String()), all);
        topology.addStateStore(store(COMMAND_DEDUPE_STORE, Serdes.Long()), all);
        topology.addStateStore(store(ATENDENTE_STORE, new JsonSerde<>(KnownAtendentes.KnownAtendente.class)), all);
        topology.addStateStore(store(PENDING_SEND_STORE, new JsonSerde<>(PendingSends.PendingSend.class)), all);
        topology.addStateStore(store(CUSTOMER_TYPING_STORE, new JsonSerde<>(CustomerTyping.Typing.class)), all);
        topology.addStateStore(store(INSTANCE_SILENCE_STORE, new JsonSerde<>(InstanceSilence.Silent.class)), all);
        topology.addStateStore(store(ASSIGNMENT_SETTINGS_STORE, Topics.EMPRESA_SETTINGS.valueSerde()), all);
        topology.addStateStore(store(ASSIGNMENT_ONLINE_STORE, Serdes.String()), all);
        topology.addStateStore(store(ASSIGNMENT_QUEUE_STORE, Serdes.String()), all);
        topology.addStateStore(store(ASSIGNMENT_LOAD_STORE, Serdes.Integer()), all);
        topology.addStateStore(store(SLA_CLOCK_STORE, new JsonSerde<>(SlaClocks.Clock.class)), all);
        topology.addStateStore(store(SLA_FIRING_STORE, Serdes.String()), all);
        // outputs arrive as bytes, already checked against their topics' limits (Outputs). Whichever processor's
        // effects work off a queue of parked webhooks may park one again and so schedule the retry punctuator, which
        // Kafka Streams runs as that processor: all that emit effects are parents of the retry sink. Automatic
        // assignment may emit after any input (AutoAssigner), and so may the SLA punctuator, so every processor emits
        topology.addSink(CONVERSAS_SINK, outputs.apply(Topics.CONVERSAS.name()), KEYS, VALUES, all);
        topology.addSink(MENSAGENS_SINK, outputs.apply(Topics.MENSAGENS.name()), KEYS, VALUES, all);
        topology.addSink(EVENTS_SINK, outputs.apply(Topics.EVENTS.name()), KEYS, VALUES, all);
        // keyed by empresaId like the input, so the default partitioner co-partitions it
        topology.addSink(RETRY_SINK, outputs.apply(Topics.WEBHOOKS_RETRY.name()), KEYS, VALUES, all);
        // key = instance: one WhatsApp number's replies stay in order, and its rate limit in one dispatcher
        topology.addSink(OUTBOUND_SINK, outputs.apply(Topics.OUTBOUND.name()), KEYS, VALUES, COMMANDS_PROCESSOR);
        topology.addSink(DLQ_SINK, outputs.apply(Topics.DLQ.name()), KEYS, VALUES, all);
        return topology;
    }

    /**
     * A persistent store whose changelog takes records up to the catalog's state limit: a store value as large as
     * the input it came from must not fail the transaction that writes it.
     */
    static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(Topics.STATE_CHANGELOG_MAX_BYTES)));
    }
}
