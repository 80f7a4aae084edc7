package dev.chatcentral.schemas.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.metrics.MetricsSample;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.serde.JsonSerde;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.signal.IngestNodeStart;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;

/**
 * The topic catalog: every topic of chat-central, in one place, with its serdes. Nothing else names a topic.
 *
 * <p>Partition counts are part of the contract: the empresa-keyed topics map an empresa to a partition by the
 * key's hash, the gateway computes that partition to read one tenant, and a client's position is an offset in it.
 * Every topic read in parallel has the deployment's count ({@link TopicSpec.Partitioning#DEPLOYMENT}, chosen once
 * with {@code KAFKA_TOPIC_PARTITIONS}, see {@link #catalog}): the input, the retry topic and the state topics share
 * it so Kafka Streams can co-partition them, and {@link #PRESENCE} and {@link #EPHEMERAL} share it with {@link #EVENTS}
 * so an empresa's snapshot and typing are at the partition number of its events. The topics every reader reads whole have one partition.
 *
 * <p>Record sizes are part of it too: each topic's {@code max.message.bytes} is set here, and every producer's
 * {@code max.request.size} comes from the largest topic it writes ({@link #maxRequestBytes}).
 */
public final class Topics {

    private static final TopicSpec.Partitioning DEPLOYMENT = TopicSpec.Partitioning.DEPLOYMENT;
    private static final TopicSpec.Partitioning SINGLE = TopicSpec.Partitioning.SINGLE;

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /**
     * The largest record of most topics, the broker's own default. A webhook without inline media, and everything
     * derived from one, stays far below it once the processor bounds each text field: a mensagem's text at
     * WhatsApp's 65,536 characters is about 400 KB of JSON even when every character needs escaping.
     */
    public static final int RECORD_MAX_BYTES = MIB;
    /** Room for the headers a retry or a dead letter adds to the record it carries (their error text is bounded). */
    private static final int FORWARDING_HEADROOM_BYTES = 64 * KIB;
    /** A dead letter or a retry: any input record of a stage, plus its headers. */
    public static final int FORWARDED_MAX_BYTES = RECORD_MAX_BYTES + FORWARDING_HEADROOM_BYTES;
    /** Inline media up to the ingest's 16 MiB body limit, with room for headers. */
    public static final int MEDIA_MAX_BYTES = 17 * MIB;
    /**
     * One empresa's presence snapshot lists everyone online: at about 150 bytes a user, 4 MiB holds over 25,000
     * atendentes online in one empresa.
     */
    public static final int PRESENCE_MAX_BYTES = 4 * MIB;
    /**
     * The largest record of the processor's state changelogs (topics Kafka Streams creates itself): a parked webhook
     * is kept with its bytes in base64, a third larger than the webhook.
     */
    public static final int STATE_CHANGELOG_MAX_BYTES = 2 * MIB;

    private static final Serde<String> KEY = Serdes.String();

    /** Webhooks as received by the ingest (key = empresaId), apikey redacted. */
    public static final TopicSpec<String, EvolutionWebhook> WEBHOOKS = new TopicSpec<>(
            "chat.webhooks", DEPLOYMENT, Duration.ofDays(7), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(EvolutionWebhook.class));

    /** Webhooks parked for a later attempt (key = empresaId, co-partitioned with {@link #WEBHOOKS}). */
    public static final TopicSpec<String, EvolutionWebhook> WEBHOOKS_RETRY = new TopicSpec<>(
            "chat.webhooks.retry", DEPLOYMENT, Duration.ofDays(7), false, FORWARDED_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(EvolutionWebhook.class));

    /**
     * Every record a stage could not process for a reason no retry can fix (a webhook, a command, a dispatch result,
     * a signal, a record PostgreSQL refused), byte for byte and keyed as it arrived, with why, from where and in which
     * stage in its headers ({@link RecordHeaders}), so it can be inspected and redriven to the topic it came from.
     */
    public static final TopicSpec<String, byte[]> DLQ = new TopicSpec<>(
            "chat.dlq", DEPLOYMENT, Duration.ofDays(30), false, FORWARDED_MAX_BYTES, Map.of(),
            KEY, Serdes.ByteArray());

    /** Media bytes split off large webhooks ({@code base64: true}), so {@link #WEBHOOKS} records stay small. */
    public static final TopicSpec<String, byte[]> MEDIA = new TopicSpec<>(
            "chat.media", DEPLOYMENT, Duration.ofDays(3), false, MEDIA_MAX_BYTES, Map.of(),
            KEY, Serdes.ByteArray());

    /** Session, typing and status signals from gateway nodes (key = empresaId). */
    public static final TopicSpec<String, Signal> SIGNALS = new TopicSpec<>(
            "chat.signals", DEPLOYMENT, Duration.ofDays(1), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(Signal.class));

    /** Atendentes' commands (key = empresaId). */
    public static final TopicSpec<String, AgentCommand> COMMANDS = new TopicSpec<>(
            "chat.commands", DEPLOYMENT, Duration.ofDays(7), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(AgentCommand.class));

    /** Everything browsers see (key = empresaId: one empresa, one partition, one order). Retention = resume window. */
    public static final TopicSpec<String, RealtimeEvent> EVENTS = new TopicSpec<>(
            "chat.events", DEPLOYMENT, Duration.ofDays(7), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(RealtimeEvent.class));

    /**
     * The fast lane: {@code typing_start}/{@code typing_stop} events (atendentes' and customers'), written by a plain
     * idempotent producer outside the processor's transactions the moment it decides them, so gateways show typing
     * without waiting for a commit (docs/presence.md). Key = empresaId and as many partitions as {@link #EVENTS}: one
     * empresa's typing in one order, at the partition number of its events. Nothing resumes from it (gateways read it
     * from the end and typing lasts seconds), so it keeps one minute, in short segments that retention can delete.
     */
    public static final TopicSpec<String, RealtimeEvent> EPHEMERAL = new TopicSpec<>(
            "chat.ephemeral", DEPLOYMENT, Duration.ofMinutes(1), false, RECORD_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(5).toMillis())),
            KEY, new JsonSerde<>(RealtimeEvent.class));

    /** Current state of each conversa (key = conversaId), compacted: the latest record per conversa is kept. */
    public static final TopicSpec<String, Conversa> CONVERSAS = new TopicSpec<>(
            "chat.conversas", DEPLOYMENT, TopicSpec.FOREVER, true, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(Conversa.class));

    /** Every mensagem and each of its status changes (key = conversaId), for the record and for analytics. */
    public static final TopicSpec<String, Mensagem> MENSAGENS = new TopicSpec<>(
            "chat.mensagens", DEPLOYMENT, Duration.ofDays(30), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(Mensagem.class));

    /** Replies to send to WhatsApp (key = instance). */
    public static final TopicSpec<String, OutboundMessage> OUTBOUND = new TopicSpec<>(
            "chat.outbound", DEPLOYMENT, Duration.ofDays(7), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(OutboundMessage.class));

    /**
     * Each gateway node's latest heartbeat (key = nodeId), compacted, read whole by every presence task (a global
     * store), hence one partition. Short segments let compaction keep it at one record per node.
     */
    public static final TopicSpec<String, NodeHeartbeat> NODE_HEARTBEATS = new TopicSpec<>(
            "chat.gateway.heartbeats", SINGLE, TopicSpec.FOREVER, true, RECORD_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())),
            KEY, new JsonSerde<>(NodeHeartbeat.class));

    /**
     * Each empresa's latest presence snapshot (key = empresaId, as many partitions as {@link #EVENTS} so a gateway
     * finds an empresa's snapshot at the partition number of its events), compacted. Short segments let compaction
     * keep it near one record per empresa although it changes at every login.
     */
    public static final TopicSpec<String, PresenceSnapshot> PRESENCE = new TopicSpec<>(
            "chat.presence", DEPLOYMENT, TopicSpec.FOREVER, true, PRESENCE_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())),
            KEY, new JsonSerde<>(PresenceSnapshot.class));

    /**
     * Every empresa's instances and live webhook secrets (key = empresaId), compacted: each ingest node reads it
     * whole, so a change made through the admin API of one node reaches every node at once. Its secrets are stored
     * as PostgreSQL keeps them: hashed, and sealed with the ingest's key.
     */
    public static final TopicSpec<String, EmpresaDirectoryEntry> EMPRESAS = new TopicSpec<>(
            "chat.empresas", SINGLE, TopicSpec.FOREVER, true, RECORD_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())),
            KEY, new JsonSerde<>(EmpresaDirectoryEntry.class));

    /**
     * Each ingest node's latest start (key = nodeId), compacted. Writing it is the node's first acknowledged write:
     * it reports ready only after it, so the first webhooks do not pay for the producer's start.
     */
    public static final TopicSpec<String, IngestNodeStart> INGEST_NODES = new TopicSpec<>(
            "chat.ingest.nodes", SINGLE, TopicSpec.FOREVER, true, RECORD_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())),
            KEY, new JsonSerde<>(IngestNodeStart.class));

    /**
     * Each processor's and gateway node's operational figures every 10 s (key = nodeId), for the console's queue page
     * and its trends over the last hour, hence the two hours kept; one partition, read whole by every gateway node.
     */
    public static final TopicSpec<String, MetricsSample> METRICS = new TopicSpec<>(
            "chat.metrics", SINGLE, Duration.ofHours(2), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(MetricsSample.class));

    /**
     * How each empresa's customer service is doing (key = empresaId), compacted to the latest figures per empresa:
     * written by the {@code analytics} application, a tap reading only the public topics, every few seconds; read
     * whole by every gateway node for supervisors. Apart from {@link #METRICS}, which holds the pipeline's own figures
     * per node. As large as a presence snapshot: each atendente appears in it, in each window.
     */
    public static final TopicSpec<String, ServiceMetrics> SERVICE_METRICS = new TopicSpec<>(
            "chat.service.metrics", DEPLOYMENT, TopicSpec.FOREVER, true, PRESENCE_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())),
            KEY, new JsonSerde<>(ServiceMetrics.class));

    /**
     * Each empresa's service settings (key = empresaId), compacted to the latest per empresa: written by the gateway's
     * settings API, read whole by every gateway node and, as a table per task, by the conversa topology, hence the
     * deployment's count, co-partitioned with its inputs. {@code version} grows by one per change.
     */
    public static final TopicSpec<String, EmpresaSettings> EMPRESA_SETTINGS = new TopicSpec<>(
            "chat.empresa.settings", DEPLOYMENT, TopicSpec.FOREVER, true, RECORD_MAX_BYTES,
            Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())),
            KEY, new JsonSerde<>(EmpresaSettings.class));

    /** What became of each reply sent to WhatsApp (key = empresaId, co-partitioned with the conversas). */
    public static final TopicSpec<String, OutboundResult> OUTBOUND_RESULTS = new TopicSpec<>(
            "chat.outbound.results", DEPLOYMENT, Duration.ofDays(7), false, RECORD_MAX_BYTES, Map.of(),
            KEY, new JsonSerde<>(OutboundResult.class));

    public static final List<TopicSpec<?, ?>> ALL = List.of(
            WEBHOOKS, WEBHOOKS_RETRY, DLQ, MEDIA, SIGNALS, COMMANDS, EVENTS, EPHEMERAL, CONVERSAS, MENSAGENS, OUTBOUND,
            OUTBOUND_RESULTS, NODE_HEARTBEATS, PRESENCE, EMPRESAS, INGEST_NODES, METRICS, SERVICE_METRICS,
            EMPRESA_SETTINGS);

    private Topics() {
    }

    /**
     * The catalog of a deployment whose spread topics have {@code partitions} partitions each.
     *
     * @throws IllegalArgumentException when the count is out of {@link TopicCatalog}'s bounds
     */
    public static TopicCatalog catalog(int partitions) {
        return new TopicCatalog(partitions, ALL);
    }

    /**
     * The {@code max.request.size} of a producer whose largest record may be {@code largestRecordBytes}: the producer
     * refuses a record over it before any broker sees it.
     */
    public static int maxRequestBytes(int largestRecordBytes) {
        return largestRecordBytes + TopicSpec.RECORD_OVERHEAD_BYTES;
    }
}
