package dev.chatcentral.localstack.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.localstack.StackLayout;
import dev.chatcentral.localstack.process.ChildProcess;
import dev.chatcentral.localstack.process.JavaProcesses;
import dev.chatcentral.localstack.process.Launch;

/**
 * A KRaft node (broker and controller in one process) run from Kafka's own jars, the {@code kafka_2.13} artifact on
 * this launcher's class path, exactly as {@code kafka-storage.sh} and {@code kafka-server-start.sh} would run it.
 * Alone (bin/stack) it is a standalone quorum with everything replicated once; one of three (bin/cluster) it votes
 * in a static quorum of the three and everything is replicated three times, two in sync. The log directory is
 * formatted once; later runs find its {@code meta.properties} and keep every topic and offset.
 */
public final class KafkaBroker implements Launch {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 9092;
    public static final int CONTROLLER_PORT = 9093;
    public static final String NAME = "kafka";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

    private final StackLayout layout;
    private final JavaProcesses processes;
    private final KafkaNode node;
    private final List<KafkaNode> quorum;
    private final Supplier<String> clusterId;

    /** The stack's single broker on 9092. */
    public KafkaBroker(StackLayout layout, JavaProcesses processes) {
        this(layout, processes, single(layout), List.of(single(layout)), () -> Uuid.randomUuid().toString());
    }

    /**
     * Node {@code node} of {@code quorum}; {@code clusterId} is asked only when its log directory needs formatting,
     * and must give every node of the quorum the same id.
     */
    public KafkaBroker(StackLayout layout, JavaProcesses processes, KafkaNode node, List<KafkaNode> quorum,
            Supplier<String> clusterId) {
        if (!quorum.contains(node)) {
            throw new IllegalArgumentException(node.name() + " is not in its own quorum " + quorum);
        }
        this.layout = layout;
        this.processes = processes;
        this.node = node;
        this.quorum = List.copyOf(quorum);
        this.clusterId = clusterId;
    }

    public static KafkaNode single(StackLayout layout) {
        return new KafkaNode(NAME, 1, PORT, CONTROLLER_PORT, layout.kafkaLogDir());
    }

    public static String bootstrapServers() {
        return HOST + ":" + PORT;
    }

    public KafkaNode node() {
        return node;
    }

    /** The single broker's server.properties (bin/stack). */
    public static String serverProperties(Path kafkaLogDir) {
        KafkaNode alone = new KafkaNode(NAME, 1, PORT, CONTROLLER_PORT, kafkaLogDir);
        return serverProperties(alone, List.of(alone));
    }

    /**
     * A node's server.properties. Kafka 4.1 formats a standalone controller only with a dynamic quorum
     * ({@code controller.quorum.bootstrap.servers}); {@code controller.quorum.voters} would make
     * {@code format --standalone} fail. A quorum of several is static: every node names every voter, and is
     * formatted with the same cluster id and no {@code --standalone}. Internal topics and the default
     * {@code min.insync.replicas} follow the quorum's size: one copy alone, three with two in sync when the quorum
     * has three nodes or more, so that losing one broker loses nothing and stops nothing.
     */
    public static String serverProperties(KafkaNode node, List<KafkaNode> quorum) {
        String replicas = Integer.toString(Math.min(quorum.size(), 3));
        String minInSync = quorum.size() >= 3 ? "2" : "1";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(node.nodeId()));
        if (quorum.size() == 1) {
            properties.put("controller.quorum.bootstrap.servers", node.controllerAddress());
        } else {
            properties.put("controller.quorum.voters", KafkaNode.voters(quorum));
        }
        properties.put("listeners", "PLAINTEXT://" + node.address() + ",CONTROLLER://" + node.controllerAddress());
        properties.put("advertised.listeners", "PLAINTEXT://" + node.address() + ",CONTROLLER://"
                + node.controllerAddress());
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // forward slashes: a properties file reads a backslash as an escape
        properties.put("log.dirs", node.logDir().toAbsolutePath().toString().replace('\\', '/'));
        properties.put("num.partitions", "1");
        properties.put("default.replication.factor", replicas);
        properties.put("offsets.topic.replication.factor", replicas);
        properties.put("transaction.state.log.replication.factor", replicas);
        properties.put("transaction.state.log.min.isr", minInSync);
        properties.put("share.coordinator.state.topic.replication.factor", replicas);
        properties.put("share.coordinator.state.topic.min.isr", minInSync);
        properties.put("min.insync.replicas", minInSync);
        // a broker killed mid-write must not elect a replica that missed acknowledged records
        properties.put("unclean.leader.election.enable", "false");
        // topics come from the catalog (TopicProvisioner) only: a typo in a topic name must fail, not create one
        properties.put("auto.create.topics.enable", "false");
        properties.put("group.initial.rebalance.delay.ms", "0");
        return "# written by the chat-central local stack at every start; edits are overwritten\n"
                + properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * The cluster id already written in one of the quorum's formatted log directories, so that a node formatted
     * later (its directory deleted) joins the same cluster; a fresh id when none is formatted yet.
     */
    public static String clusterId(List<KafkaNode> quorum) {
        for (KafkaNode member : quorum) {
            Path meta = member.logDir().resolve("meta.properties");
            if (Files.isRegularFile(meta)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                } catch (IOException e) {
                    throw new StackException("cannot read " + meta + ": " + e.getMessage(), e);
                }
                String id = properties.getProperty("cluster.id");
                if (id != null && !id.isBlank()) {
                    return id;
                }
            }
        }
        return Uuid.randomUuid().toString();
    }

    /** Log4j 2 configuration of the broker: INFO to stdout, which the stack appends to kafka.log. */
    public static String log4jProperties() {
        return """
                status = warn
                appender.stdout.type = Console
                appender.stdout.name = STDOUT
                appender.stdout.layout.type = PatternLayout
                appender.stdout.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = INFO
                rootLogger.appenderRef.stdout.ref = STDOUT
                logger.request.name = kafka.request.logger
                logger.request.level = WARN
                """;
    }

    /** Formats the log directory if it never was and starts the broker; see {@link #awaitReady}. */
    @Override
    public ChildProcess start() {
        Path serverProperties = layout.configDir().resolve(node.name() + "-server.properties");
        Path log4j = layout.configDir().resolve("kafka-log4j2.properties");
        try {
            Files.createDirectories(layout.configDir());
            Files.createDirectories(node.logDir());
            Files.writeString(serverProperties, serverProperties(node, quorum), StandardCharsets.UTF_8);
            Files.writeString(log4j, log4jProperties(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StackException("cannot write the broker's configuration in " + layout.configDir() + ": "
                    + e.getMessage(), e);
        }
        Path log = layout.logFile(node.name());
        if (Files.exists(node.logDir().resolve("meta.properties"))) {
            System.out.println("  reusing " + node.name() + "'s data in " + node.logDir());
        } else {
            format(serverProperties, log4j, log);
        }
        return processes.start(node.name(),
                List.of("-Xms256m", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
                        "-Dlog4j2.configurationFile=" + log4j,
                        "-cp", JavaProcesses.ownClassPath(),
                        "kafka.Kafka", serverProperties.toString()),
                Map.of(), log);
    }

    private void format(Path serverProperties, Path log4j, Path log) {
        String id = clusterId.get();
        System.out.println("  formatting " + node.logDir() + " (cluster id " + id + ")");
        List<String> arguments = new ArrayList<>(List.of("-Dlog4j2.configurationFile=" + log4j,
                "-cp", JavaProcesses.ownClassPath(),
                "kafka.tools.StorageTool", "format"));
        if (quorum.size() == 1) {
            arguments.add("--standalone");
        }
        arguments.addAll(List.of("-t", id, "-c", serverProperties.toString()));
        ChildProcess storageTool = processes.start(node.name() + "-storage-format", arguments, Map.of(), log);
        try {
            if (!storageTool.process().waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                storageTool.stop(Duration.ofSeconds(5));
                throw new StackException("formatting " + node.name() + "'s storage took longer than "
                        + FORMAT_TIMEOUT.toSeconds() + " s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting " + node.name() + "'s storage", e);
        }
        if (storageTool.process().exitValue() != 0) {
            throw new StackException("formatting " + node.name() + "'s storage failed (exit "
                    + storageTool.process().exitValue() + "); end of " + log + ":\n" + storageTool.logTail(20));
        }
    }

    /**
     * Waits until this node answers a metadata request (Admin describeCluster) on its own listener, failing early
     * if it exits. A node of a quorum answers only once a majority of the quorum runs.
     */
    @Override
    public void awaitReady(ChildProcess broker, Supplier<String> failure) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.address(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new StackException(node.name() + " exited while starting, " + broker.exitDescription()
                            + "; end of " + broker.log() + ":\n" + broker.logTail(30));
                }
                String failed = failure.get();
                if (failed != null) {
                    throw new StackException(failed);
                }
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                            .get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new StackException(node.name() + " did not answer at " + node.address()
                                + " within " + READY_TIMEOUT.toSeconds() + " s; see " + broker.log());
                    }
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for " + node.name(), e);
        }
    }
}
