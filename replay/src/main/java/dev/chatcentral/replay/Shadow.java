package dev.chatcentral.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.dlq.DeadLetterListener;
import dev.chatcentral.processor.dlq.DeadLetterRouting;
import dev.chatcentral.processor.dlq.DeadLetterStage;
import dev.chatcentral.processor.dlq.PoisonRecords;
import dev.chatcentral.processor.ephemeral.EphemeralEvents;
import dev.chatcentral.processor.streams.StreamsClient;
import dev.chatcentral.processor.topology.ConversaTopology;
import dev.chatcentral.processor.topology.TopologySettings;
import dev.chatcentral.schemas.event.AtendenteTypingData;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * {@code shadow}: the conversa topology, as this build has it, run over production's retained inputs into a shadow
 * set of topics ({@code <prefix>.chat.conversas}, ...) under an application id of its own ({@code <prefix>}), and
 * its output compared with production's, event by event. Production's topics and groups are only read; the shadow
 * writes nothing production reads.
 */
final class Shadow implements Replay.Command {

    private static final String USAGE = """
            usage: bin/replay shadow --bootstrap <host:port> --prefix shadow-<name> [--from-timestamp <ISO-8601>]
                                     [--ignore-fields <name,name>] [--show <n>] [--timeout <seconds>]
              Runs this build's conversa topology over the inputs production retains (chat.webhooks, and
              chat.commands, chat.outbound.results and chat.signals, which change conversas too), from their start
              or from --from-timestamp up to their ends when it starts, into topics named <prefix>.<topic> with
              application.id <prefix>; then compares each output topic with production's, per key and in order,
              by content (JSON properties named in --ignore-fields left out at every depth): totals per topic and
              the first --show (default 20) differences. Refuses a prefix whose topics or group exist already.
              --timeout   how long the shadow may take to catch up with the inputs (default 600 s)
            """ + Replay.EXIT_STATUS;

    private static final Pattern PREFIX = Pattern.compile("shadow-[a-z0-9][a-z0-9-]{0,39}");
    /** The topics the topology reads that production writes; its own retry loop is shadowed like its outputs. */
    private static final List<TopicSpec<String, ?>> INPUTS = List.of(Topics.WEBHOOKS, Topics.COMMANDS,
            Topics.OUTBOUND_RESULTS, Topics.SIGNALS);
    /** The topics it writes, each compared but the retry loop, whose records are its own business. */
    private static final List<TopicSpec<String, ?>> OUTPUTS = List.of(Topics.CONVERSAS, Topics.MENSAGENS,
            Topics.EVENTS, Topics.OUTBOUND, Topics.DLQ, Topics.WEBHOOKS_RETRY);
    private static final Set<TopicSpec<String, ?>> NOT_COMPARED = Set.of(Topics.WEBHOOKS_RETRY);

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Set<String> options() {
        return Set.of("--bootstrap", "--prefix", "--from-timestamp", "--ignore-fields", "--show", "--timeout");
    }

    @Override
    public int run(Arguments arguments, PrintStream out) throws Arguments.Usage, ReplayFailure {
        String bootstrap = arguments.bootstrap();
        String prefix = arguments.required("--prefix", "shadow-<name>: the shadow's topic prefix and application id");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new Arguments.Usage("--prefix takes shadow-<name>, <name> of lowercase letters, digits and dashes "
                    + "(at most 40), not " + Arguments.printable(prefix));
        }
        Instant from = arguments.instant("--from-timestamp", false);
        Set<String> ignored = ignoredFields(arguments.optional("--ignore-fields"));
        int show = arguments.integer("--show", 20, 1, 10_000);
        Duration timeout = Duration.ofSeconds(arguments.integer("--timeout", 600, 1, 7 * 24 * 3600));
        ServiceSettings settings = ServiceSettings.load();
        if (settings.groupIds().contains(prefix)) {
            throw ReplayFailure.refused("--prefix " + prefix + " is a group of the pipeline itself");
        }

        try (Admin admin = Kafka.admin(bootstrap)) {
            refuseExisting(admin, prefix);
            List<TopicPartition> inputs = new ArrayList<>();
            for (TopicSpec<String, ?> input : INPUTS) {
                inputs.addAll(Kafka.partitions(admin, input.name()));
            }
            Map<TopicPartition, Long> inputEnds = Kafka.ends(admin, inputs);
            Map<TopicPartition, Long> inputStarts = from == null ? Map.of()
                    : Kafka.offsetsAt(admin, inputs, from.toEpochMilli());
            // production's outputs from the time of the first input the shadow reads: the outputs of inputs that
            // retention removed have nothing to be compared with (output records carry their input's timestamp)
            OptionalLong since = from != null ? OptionalLong.of(from.toEpochMilli())
                    : Kafka.firstTimestamp(bootstrap, inputStarts, inputEnds);
            // production's outputs as they are now: what its pipeline made of the same inputs, if it keeps up
            Map<TopicSpec<String, ?>, Map<TopicPartition, Long>> productionEnds = new HashMap<>();
            Map<TopicSpec<String, ?>, Map<TopicPartition, Long>> productionStarts = new HashMap<>();
            for (TopicSpec<String, ?> output : OUTPUTS) {
                if (NOT_COMPARED.contains(output)) {
                    continue;
                }
                List<TopicPartition> partitions = Kafka.partitions(admin, output.name());
                productionEnds.put(output, Kafka.ends(admin, partitions));
                Map<TopicPartition, Long> ends = productionEnds.get(output);
                productionStarts.put(output, since.isPresent()
                        ? Kafka.offsetsAt(admin, partitions, since.getAsLong()) : ends);
            }
            createShadowTopics(admin, prefix);
            if (from != null) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                inputStarts.forEach((p, o) -> offsets.put(p, new OffsetAndMetadata(o)));
                Kafka.await(admin.alterConsumerGroupOffsets(prefix, offsets).all(), "start the shadow's group at "
                        + from);
            }
            out.printf("shadow %s: running the conversa topology over %s%s%n", prefix,
                    INPUTS.stream().map(TopicSpec::name).toList(), from == null ? "" : " from " + from);
            runUntilCaughtUp(admin, bootstrap, prefix, settings.processor(), inputStarts, inputEnds, timeout, out);

            int status = Replay.OK;
            List<EventDiff.Result> results = new ArrayList<>();
            for (TopicSpec<String, ?> output : OUTPUTS) {
                if (NOT_COMPARED.contains(output)) {
                    continue;
                }
                EventDiff.Side production = new EventDiff.Side(output.compacted());
                Kafka.read(bootstrap, productionStarts.get(output), productionEnds.get(output), r -> {
                    if (writtenByConversaTopology(r)) {
                        production.add(r, ignored);
                    }
                });
                EventDiff.Side shadow = new EventDiff.Side(output.compacted());
                String shadowTopic = shadowName(prefix, output.name());
                Kafka.read(bootstrap, Map.of(), Kafka.ends(admin, Kafka.partitions(admin, shadowTopic)),
                        r -> shadow.add(r, ignored));
                results.add(EventDiff.compare(output.name(), production, shadow, show));
            }
            out.printf("%-22s %11s %11s %11s %11s %15s %12s%n", "topic", "production", "shadow", "matched",
                    "differing", "only production", "only shadow");
            for (EventDiff.Result r : results) {
                out.printf("%-22s %11d %11d %11d %11d %15d %12d%n", r.topic(), r.production(), r.shadow(),
                        r.matched(), r.differing(), r.onlyProduction(), r.onlyShadow());
                if (!r.equal()) {
                    status = Replay.DIFFERENT;
                }
            }
            int shown = 0;
            for (EventDiff.Result r : results) {
                for (String line : r.first()) {
                    if (shown++ < show) {
                        out.println(line);
                    }
                }
            }
            out.println(status == Replay.OK ? "EQUAL: the shadow's output matches production's, event by event"
                    : "DIFFERENT: the shadow's output differs from production's");
            out.println("the shadow's topics (" + prefix + ".*, " + prefix + "-*) and group " + prefix
                    + " stay for inspection; delete them when done (docs/operations.md)");
            return status;
        }
    }

    /**
     * Whether a record of production's could come from the conversa topology: {@code chat.events} and
     * {@code chat.dlq} are written by other stages too (the presence topology's presence and atendentes' typing, the
     * sink's and the dispatcher's dead letters), which the shadow does not run.
     */
    static boolean writtenByConversaTopology(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(Topics.DLQ.name())) {
            return DeadLetterStage.CONVERSA.code().equals(RecordHeaders.get(record.headers(),
                    RecordHeaders.DLQ_STAGE));
        }
        if (record.topic().equals(Topics.EVENTS.name()) && record.value() != null) {
            try {
                JsonNode event = Json.MAPPER.readTree(record.value());
                JsonNode who = event.path("data").path("who");
                return !EventType.PRESENCE_UPDATE.equals(event.path("type").asString(""))
                        && !AtendenteTypingData.WHO_ATENDENTE.equals(who.asString(""));
            } catch (JacksonException e) {
                return true; // no event of anyone's: compared, so it shows
            }
        }
        return true;
    }

    static String shadowName(String prefix, String topic) {
        return prefix + "." + topic;
    }

    private static Set<String> ignoredFields(String value) throws Arguments.Usage {
        if (value == null) {
            return Set.of();
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String field : value.split(",", -1)) {
            if (field.isBlank() || field.length() > 100) {
                throw new Arguments.Usage("--ignore-fields takes property names separated by commas, not "
                        + Arguments.printable(value));
            }
            fields.add(field.strip());
        }
        return fields;
    }

    /** A prefix used before would mix two runs' records, or resume the earlier run's group: never reused. */
    private static void refuseExisting(Admin admin, String prefix) throws ReplayFailure {
        Set<String> topics = Kafka.await(admin.listTopics().names(), "list topics");
        List<String> taken = topics.stream().filter(t -> t.startsWith(prefix + ".") || t.startsWith(prefix + "-"))
                .sorted().toList();
        if (!taken.isEmpty()) {
            throw ReplayFailure.refused("shadow " + prefix + " exists already (" + String.join(", ",
                    taken.subList(0, Math.min(5, taken.size()))) + "); choose another --prefix or delete its topics "
                    + "and group first");
        }
        Map<TopicPartition, OffsetAndMetadata> committed = Kafka.await(
                admin.listConsumerGroupOffsets(prefix).partitionsToOffsetAndMetadata(), "read group " + prefix);
        if (!committed.isEmpty()) {
            throw ReplayFailure.refused("group " + prefix + " exists already; choose another --prefix or delete "
                    + "the group first");
        }
    }

    /** Each output topic under the prefix, with production's partitions, replication and settings. */
    private static void createShadowTopics(Admin admin, String prefix) throws ReplayFailure {
        List<String> names = OUTPUTS.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> production = Kafka.await(admin.describeTopics(names).allTopicNames(),
                "describe production's output topics");
        List<NewTopic> topics = new ArrayList<>();
        for (TopicSpec<String, ?> output : OUTPUTS) {
            TopicDescription description = production.get(output.name());
            topics.add(new NewTopic(shadowName(prefix, output.name()), description.partitions().size(),
                    (short) description.partitions().get(0).replicas().size()).configs(output.config()));
        }
        Kafka.await(admin.createTopics(topics).all(), "create the shadow's topics");
    }

    /**
     * Runs the topology exactly-once under the application id {@code prefix} until its group committed every
     * input partition up to the end it had when the tool started: then every output of those inputs is
     * committed too, in the same transactions.
     */
    private static void runUntilCaughtUp(Admin admin, String bootstrap, String prefix, ProcessorProperties settings,
                                         Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends,
                                         Duration timeout, PrintStream out) throws ReplayFailure {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("chat-central-" + prefix);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a state directory", e);
        }
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(Arrays.asList(bootstrap.split(",")));
        PoisonRecords poison = new PoisonRecords();
        // internal topics at the broker's default replication (-1); no dead-letter publisher: production's chat.dlq
        // is never written, and a record Kafka refuses fails the shadow
        var config = StreamsClient.exactlyOnceConfig(kafka, prefix, stateDir, 1, settings.commitInterval(),
                (short) -1, ConversaTopology.LARGEST_RECORD_BYTES,
                new DeadLetterRouting(DeadLetterStage.CONVERSA, poison, null, DeadLetterListener.NONE));
        TopologySettings topologySettings = TopologySettings.from(settings, outcome -> { }, DeadLetterListener.NONE,
                poison, (empresaId, instance, silent) -> { });
        // no fast lane: production's chat.ephemeral is not the shadow's to write
        StreamsClient client = new StreamsClient(prefix, () -> ConversaTopology.build(topologySettings,
                EphemeralEvents.NONE, topic -> shadowName(prefix, topic)), config, poison, new SimpleMeterRegistry());
        client.start();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(admin, prefix, starts, ends)) {
                KafkaStreams.State state = client.streams().state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                        || state == KafkaStreams.State.PENDING_ERROR) {
                    throw ReplayFailure.unreachable("the shadow's Kafka Streams stopped (" + state + "): "
                            + client.health().getDetails(), null);
                }
                if (System.nanoTime() > deadline) {
                    throw ReplayFailure.unreachable("the shadow did not catch up with its inputs in "
                            + timeout.toSeconds() + " s (--timeout)", null);
                }
                sleep();
            }
            out.println("shadow caught up with the inputs");
        } finally {
            client.stop();
            deleteQuietly(stateDir);
        }
    }

    private static boolean caughtUp(Admin admin, String group, Map<TopicPartition, Long> starts,
                                    Map<TopicPartition, Long> ends) throws ReplayFailure {
        Map<TopicPartition, OffsetAndMetadata> committed = Kafka.await(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "read the shadow's offsets");
        return ends.entrySet().stream().allMatch(e -> {
            long start = starts.getOrDefault(e.getKey(), 0L);
            OffsetAndMetadata c = committed.get(e.getKey());
            return e.getValue() <= start || (c != null && c.offset() >= e.getValue());
        });
    }

    private static void sleep() throws ReplayFailure {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ReplayFailure.unreachable("interrupted", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory: the system cleans it in the end
        }
    }
}
