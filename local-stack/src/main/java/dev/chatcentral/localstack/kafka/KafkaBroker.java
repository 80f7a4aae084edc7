package dev.chatcentral.localstack.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A single-node KRaft broker (broker and controller in one process) run from Kafka's own jars, the
 * {@code kafka_2.13} artifact on this launcher's class path, exactly as {@code kafka-storage.sh} and
 * {@code kafka-server-start.sh} would run it. The log directory is formatted once; later runs find its
 * {@code meta.properties} and keep every topic and offset.
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

    public KafkaBroker(StackLayout layout, JavaProcesses processes) {
        this.layout = layout;
        this.processes = processes;
    }

    public static String bootstrapServers() {
        return HOST + ":" + PORT;
    }

    /**
     * The broker's server.properties. Kafka 4.1 formats a standalone controller only with a dynamic quorum
     * ({@code controller.quorum.bootstrap.servers}); {@code controller.quorum.voters} would make
     * {@code format --standalone} fail. Everything internal is replicated once, there being one broker.
     */
    public static String serverProperties(Path kafkaLogDir) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.bootstrap.servers", HOST + ":" + CONTROLLER_PORT);
        properties.put("listeners", "PLAINTEXT://" + HOST + ":" + PORT + ",CONTROLLER://" + HOST + ":"
                + CONTROLLER_PORT);
        properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + PORT + ",CONTROLLER://" + HOST + ":"
                + CONTROLLER_PORT);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // forward slashes: a properties file reads a backslash as an escape
        properties.put("log.dirs", kafkaLogDir.toAbsolutePath().toString().replace('\\', '/'));
        properties.put("num.partitions", "1");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("min.insync.replicas", "1");
        // topics come from the catalog (TopicProvisioner) only: a typo in a topic name must fail, not create one
        properties.put("auto.create.topics.enable", "false");
        properties.put("group.initial.rebalance.delay.ms", "0");
        return "# written by the chat-central local stack at every start; edits are overwritten\n"
                + properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n"));
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
        Path serverProperties = layout.configDir().resolve("server.properties");
        Path log4j = layout.configDir().resolve("kafka-log4j2.properties");
        try {
            Files.createDirectories(layout.configDir());
            Files.createDirectories(layout.kafkaLogDir());
            Files.writeString(serverProperties, serverProperties(layout.kafkaLogDir()), StandardCharsets.UTF_8);
            Files.writeString(log4j, log4jProperties(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StackException("cannot write the broker's configuration in " + layout.configDir() + ": "
                    + e.getMessage(), e);
        }
        Path log = layout.logFile(NAME);
        if (Files.exists(layout.kafkaLogDir().resolve("meta.properties"))) {
            System.out.println("  reusing the broker's data in " + layout.kafkaLogDir());
        } else {
            format(serverProperties, log4j, log);
        }
        ChildProcess broker = processes.start(NAME,
                List.of("-Xms256m", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
                        "-Dlog4j2.configurationFile=" + log4j,
                        "-cp", JavaProcesses.ownClassPath(),
                        "kafka.Kafka", serverProperties.toString()),
                Map.of(), log);
        return broker;
    }

    private void format(Path serverProperties, Path log4j, Path log) {
        String clusterId = Uuid.randomUuid().toString();
        System.out.println("  formatting " + layout.kafkaLogDir() + " (cluster id " + clusterId + ")");
        ChildProcess storageTool = processes.start("kafka-storage-format",
                List.of("-Dlog4j2.configurationFile=" + log4j,
                        "-cp", JavaProcesses.ownClassPath(),
                        "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", clusterId, "-c", serverProperties.toString()),
                Map.of(), log);
        try {
            if (!storageTool.process().waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                storageTool.stop(Duration.ofSeconds(5));
                throw new StackException("formatting the broker's storage took longer than "
                        + FORMAT_TIMEOUT.toSeconds() + " s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting the broker's storage", e);
        }
        if (storageTool.process().exitValue() != 0) {
            throw new StackException("formatting the broker's storage failed (exit "
                    + storageTool.process().exitValue() + "); end of " + log + ":\n" + storageTool.logTail(20));
        }
    }

    /** Waits until the broker answers a metadata request (Admin describeCluster), failing early if it exits. */
    @Override
    public void awaitReady(ChildProcess broker, Supplier<String> failure) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new StackException("the Kafka broker exited while starting, " + broker.exitDescription()
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
                        throw new StackException("the Kafka broker did not answer at " + bootstrapServers()
                                + " within " + READY_TIMEOUT.toSeconds() + " s; see " + broker.log());
                    }
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for the Kafka broker", e);
        }
    }
}
