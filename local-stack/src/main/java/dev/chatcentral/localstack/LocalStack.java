package dev.chatcentral.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.chatcentral.localstack.kafka.KafkaBroker;
import dev.chatcentral.localstack.postgres.Database;
import dev.chatcentral.localstack.process.ChildProcess;
import dev.chatcentral.localstack.process.Children;
import dev.chatcentral.localstack.process.JavaProcesses;
import dev.chatcentral.localstack.process.Launch;
import dev.chatcentral.localstack.process.PidFiles;
import dev.chatcentral.localstack.process.RestartPolicy;
import dev.chatcentral.localstack.process.Supervisor;
import dev.chatcentral.localstack.service.Service;
import dev.chatcentral.localstack.service.ServiceLauncher;
import dev.chatcentral.localstack.tenant.DemoEmpresa;
import dev.chatcentral.localstack.tenant.DemoTenants;
import dev.chatcentral.localstack.tenant.DemoUsers;
import dev.chatcentral.localstack.tenant.DevTokens;
import dev.chatcentral.schemas.topic.PartitionCountMismatchException;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.TopicProvisioner;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The whole of chat-central on one machine with one command (bin/stack): checks PostgreSQL and prepares the
 * database, runs a KRaft broker from Kafka's jars, seeds two demo empresas, starts the services and the Evolution
 * simulator, and prints how to use them. Once up, a child that dies is restarted ({@link Supervisor}). Ctrl-C
 * stops everything, services first, the broker last.
 */
public final class LocalStack {

    static final String USAGE = """
            usage: bin/stack [--kafka-only | --kill SERVICE]
              --kafka-only     prepare PostgreSQL, run the broker and seed the empresas, but start no service
                               (to run services from an IDE against the stack)
              --kill SERVICE   SIGKILL one process of the stack running here (from another terminal), to watch it
                               come back: kafka, ingest, stream-processor, gateway, analytics or
                               evolution-simulator
            environment: CHATCENTRAL_DATA_DIR (default .local/), AGENT_JWT_SECRET, DATABASE_USER, DATABASE_PASSWORD""";

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(30);

    /** Exit status the shutdown hook ends the JVM with: 0 after Ctrl-C, 1 after a failure. */
    private static volatile int exitStatus;

    private final StackLayout layout;
    private final Map<String, String> env;
    private final PidFiles pidFiles;
    private final Children children;
    private final JavaProcesses processes;
    private final Database database;
    private final String agentJwtSecret;
    private final String adminApiToken;

    LocalStack(StackLayout layout, Map<String, String> env) {
        this.layout = layout;
        this.env = env;
        this.processes = new JavaProcesses(layout.root());
        this.pidFiles = new PidFiles(layout.runDir());
        this.children = new Children(pidFiles);
        this.database = new Database(env.getOrDefault("DATABASE_USER", "postgres"),
                env.getOrDefault("DATABASE_PASSWORD", ""));
        String secret = env.get("AGENT_JWT_SECRET");
        this.agentJwtSecret = secret == null || secret.isBlank() ? DevTokens.DEFAULT_AGENT_JWT_SECRET : secret;
        String adminToken = env.get("ADMIN_API_TOKEN");
        this.adminApiToken = adminToken == null || adminToken.isBlank() ? DevTokens.DEFAULT_ADMIN_API_TOKEN
                : adminToken;
    }

    public static void main(String[] args) {
        boolean kafkaOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kafka-only" -> kafkaOnly = true;
                case "--kill" -> {
                    if (args.length != 2 || i != 0) {
                        usageError("--kill takes one service name and nothing else");
                    }
                    try {
                        System.exit(KillCommand.run(layout(), args[1], System.out, System.err));
                    } catch (StackException e) {
                        System.err.println("stack: " + e.getMessage());
                        System.exit(1);
                    }
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usageError("unknown argument " + args[i]);
            }
        }
        LocalStack stack = new LocalStack(layout(), System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::shutdown, "stack-shutdown"));
        try {
            stack.run(kafkaOnly);
        } catch (StackException e) {
            System.err.println("\nstack: " + e.getMessage());
            exitStatus = 1;
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usageError(String problem) {
        System.err.println("stack: " + problem + "\n" + USAGE);
        System.exit(2);
    }

    private static StackLayout layout() {
        try {
            return StackLayout.of(Path.of(""), System.getenv());
        } catch (StackException e) {
            System.err.println("stack: " + e.getMessage());
            System.exit(1);
            throw e;
        }
    }

    void run(boolean kafkaOnly) throws InterruptedException {
        System.out.println("chat-central local stack; data in " + layout.dataDir());
        ServiceLauncher launcher = new ServiceLauncher(layout, processes);
        Service processor = Service.streamProcessor(layout);
        Service analytics = Service.analytics(layout);
        List<Service> services = kafkaOnly ? List.of()
                : List.of(Service.INGEST, processor, Service.GATEWAY, analytics, Service.SIMULATOR);
        launcher.checkJars(services);
        checkPortsFree(services);
        pidFiles.write(PidFiles.STACK, ProcessHandle.current().pid());

        System.out.println("[1/5] PostgreSQL at " + Database.HOST + ":" + Database.PORT);
        database.ensureReachable();
        database.ensureDatabase();
        database.migrate();

        System.out.println("[2/5] Kafka broker (KRaft) at " + KafkaBroker.bootstrapServers());
        KafkaBroker kafka = new KafkaBroker(layout, processes);
        kafka.awaitReady(children.start(kafka, BROKER_STOP_GRACE), children::deathReport);
        try {
            TopicProvisioner.ensureCatalog(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaBroker.bootstrapServers()), Topics.catalog(TopicCatalog.partitionsFrom(env)), (short) 1);
        } catch (IllegalArgumentException | PartitionCountMismatchException e) {
            throw new StackException(e.getMessage(), e);
        }

        System.out.println("[3/5] demo empresas");
        Map<DemoEmpresa, String> secrets = DemoTenants.seed(database);
        Map<DemoEmpresa, String> tokens = new LinkedHashMap<>();
        Instant now = Instant.now();
        secrets.keySet().forEach(empresa -> tokens.put(empresa, DevTokens.supervisor(empresa, agentJwtSecret, now)));

        if (kafkaOnly) {
            System.out.println("[4/5] services: not started (--kafka-only)");
        } else {
            System.out.println("[4/5] services");
            Map<String, String> serviceEnv = serviceEnvironment();
            serviceEnv.put("CONSOLE_DEMO_USERS_FILE",
                    DemoUsers.writeConsoleFile(layout.configDir(), agentJwtSecret, now).toString());
            startAndAwait(launcher, List.of(Service.INGEST, processor, Service.GATEWAY, analytics), serviceEnv);
            Map<String, String> simulatorEnv = new HashMap<>(serviceEnv);
            simulatorEnv.putAll(simulatorTargets(secrets));
            startAndAwait(launcher, List.of(Service.SIMULATOR), simulatorEnv);
        }

        System.out.println("[5/5] ready\n");
        System.out.println(Instructions.render(layout, database, secrets, tokens, agentJwtSecret, adminApiToken,
                kafkaOnly, now));

        Supervisor supervisor = new Supervisor(children, RestartPolicy::standard, Set.of(KafkaBroker.NAME),
                layout::display, System.out);
        children.supervise(supervisor);
        throw new StackException(supervisor.awaitFatal() + "\nstopping everything");
    }

    private void startAndAwait(ServiceLauncher launcher, List<Service> services, Map<String, String> env)
            throws InterruptedException {
        long begin = System.nanoTime();
        List<Launch> launches = new ArrayList<>();
        List<ChildProcess> started = new ArrayList<>();
        for (Service service : services) {
            Map<String, String> ports = new HashMap<>(env);
            ports.put("SERVER_PORT", Integer.toString(service.port()));
            ports.put("MANAGEMENT_PORT", Integer.toString(service.managementPort()));
            launches.add(launcher.launch(service, ports, SERVICE_START_TIMEOUT));
            started.add(children.start(launches.get(launches.size() - 1), SERVICE_STOP_GRACE));
        }
        for (int i = 0; i < services.size(); i++) {
            launches.get(i).awaitReady(started.get(i), children::deathReport);
            System.out.printf("  %-19s up on :%d after %.0f s (log %s)%n", services.get(i).name(),
                    services.get(i).port(), (System.nanoTime() - begin) / 1e9,
                    layout.display(started.get(i).log()));
        }
    }

    private Map<String, String> serviceEnvironment() {
        Map<String, String> serviceEnv = new HashMap<>();
        // the development secrets (published in this repository) and the stack's own agent JWT secret
        serviceEnv.put("SPRING_PROFILES_ACTIVE", "dev");
        serviceEnv.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
        serviceEnv.put("KAFKA_REPLICATION_FACTOR", "1");
        serviceEnv.put("DATABASE_URL", database.jdbcUrl());
        serviceEnv.put("DATABASE_USER", database.user());
        serviceEnv.put("DATABASE_PASSWORD", database.password());
        serviceEnv.put("AGENT_JWT_SECRET", agentJwtSecret);
        serviceEnv.put("ADMIN_API_TOKEN", adminApiToken);
        return serviceEnv;
    }

    /** The simulator's targets as Spring's indexed environment variables (chatcentral.simulator.targets[i]). */
    static Map<String, String> simulatorTargets(Map<DemoEmpresa, String> secrets) {
        return simulatorTargets("http://localhost:" + Service.INGEST.port(), secrets);
    }

    /** The same for a simulator posting to {@code ingestUrl}. */
    public static Map<String, String> simulatorTargets(String ingestUrl, Map<DemoEmpresa, String> secrets) {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("SIMULATOR_INGEST_URL", ingestUrl);
        int index = 0;
        for (Map.Entry<DemoEmpresa, String> entry : secrets.entrySet()) {
            String prefix = "CHATCENTRAL_SIMULATOR_TARGETS_" + index++ + "_";
            targets.put(prefix + "EMPRESAID", entry.getKey().id());
            targets.put(prefix + "INSTANCE", entry.getKey().instance());
            targets.put(prefix + "SECRET", entry.getValue());
        }
        return targets;
    }

    /** A port already taken means another stack (or a stray service) is running: starting would only half work. */
    private static void checkPortsFree(List<Service> services) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(KafkaBroker.PORT, "Kafka");
        ports.put(KafkaBroker.CONTROLLER_PORT, "the Kafka controller");
        services.forEach(service -> {
            ports.put(service.port(), service.name());
            ports.put(service.managementPort(), service.name() + "'s management");
        });
        checkPortsFree(ports.entrySet(), "another stack");
    }

    /** Fails naming every port of {@code ports} something listens on already, and for whom it was meant. */
    public static void checkPortsFree(Collection<Map.Entry<Integer, String>> ports, String likelyCulprit) {
        List<String> taken = new ArrayList<>();
        ports.forEach(entry -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", entry.getKey()), 500);
                taken.add("  " + entry.getKey() + " (for " + entry.getValue() + ")");
            } catch (IOException free) {
                // nothing listens: the port is ours to use
            }
        });
        if (!taken.isEmpty()) {
            throw new StackException("port(s) already in use:\n" + String.join("\n", taken)
                    + "\nis " + likelyCulprit + " running? stop it first; `ss -ltnp` shows who listens");
        }
    }

    private void shutdown() {
        if (!children.isEmpty()) {
            System.out.println("\nstopping the local stack");
            children.stopAll();
            System.out.println("stopped; data kept in " + layout.dataDir());
        }
        pidFiles.remove(PidFiles.STACK, ProcessHandle.current().pid());
        // a JVM ended by SIGINT reports 130; an orderly Ctrl-C stop is a success
        Runtime.getRuntime().halt(exitStatus);
    }
}
