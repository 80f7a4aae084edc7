package dev.chatcentral.localstack.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.chatcentral.localstack.LocalStack;
import dev.chatcentral.localstack.StackException;
import dev.chatcentral.localstack.StackLayout;
import dev.chatcentral.localstack.kafka.KafkaBroker;
import dev.chatcentral.localstack.kafka.KafkaNode;
import dev.chatcentral.localstack.postgres.Database;
import dev.chatcentral.localstack.process.ChildProcess;
import dev.chatcentral.localstack.process.Children;
import dev.chatcentral.localstack.process.JavaProcesses;
import dev.chatcentral.localstack.process.Launch;
import dev.chatcentral.localstack.process.PidFiles;
import dev.chatcentral.localstack.process.RestartPolicy;
import dev.chatcentral.localstack.process.Supervisor;
import dev.chatcentral.localstack.proxy.TcpProxy;
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
 * A production-shaped chat-central on this machine (bin/cluster): three KRaft nodes in one quorum, every topic
 * replicated three times with two in sync, two ingest nodes and three gateways behind round-robin TCP load
 * balancers, two stream-processors sharing one application id, and the simulator posting through the ingest
 * balancer. The services reach PostgreSQL through a proxy that {@code --pause-postgres} takes away, and the whole
 * is described in {@code cluster.json} for the chaos suite. A child that dies is restarted, as in bin/stack.
 */
public final class LocalCluster {

    static final String DESCRIPTION_FILE = "cluster.json";

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);

    private static volatile int exitStatus;

    private final ClusterLayout layout;
    private final StackLayout stack;
    private final PidFiles pidFiles;
    private final Children children;
    private final JavaProcesses processes;
    private final Database database;
    private final String agentJwtSecret;
    private final String adminApiToken;
    private final TopicCatalog catalog;
    /** The load balancers; the PostgreSQL proxy apart, as it must outlive the services' shutdown. */
    private final List<TcpProxy> balancers = new ArrayList<>();
    private TcpProxy postgres;
    private ControlServer control;

    LocalCluster(ClusterLayout layout, Map<String, String> env) {
        this.layout = layout;
        this.stack = layout.stack();
        this.processes = new JavaProcesses(stack.root());
        this.pidFiles = new PidFiles(stack.runDir());
        this.children = new Children(pidFiles);
        this.database = new Database(ClusterLayout.DATABASE, env.getOrDefault("DATABASE_USER", "postgres"),
                env.getOrDefault("DATABASE_PASSWORD", ""));
        this.agentJwtSecret = orDefault(env.get("AGENT_JWT_SECRET"), DevTokens.DEFAULT_AGENT_JWT_SECRET);
        this.adminApiToken = orDefault(env.get("ADMIN_API_TOKEN"), DevTokens.DEFAULT_ADMIN_API_TOKEN);
        try {
            // the services inherit KAFKA_TOPIC_PARTITIONS from this environment and check the topics against it
            this.catalog = Topics.catalog(TopicCatalog.partitionsFrom(env));
        } catch (IllegalArgumentException e) {
            throw new StackException(e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(ClusterCommands.run(args));
        }
        LocalCluster cluster = new LocalCluster(ClusterLayout.here(), System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown, "cluster-shutdown"));
        try {
            cluster.run();
        } catch (StackException e) {
            System.err.println("\ncluster: " + e.getMessage());
            exitStatus = 1;
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void run() throws InterruptedException {
        long begin = System.nanoTime();
        System.out.println("chat-central local cluster; data in " + stack.dataDir());
        ServiceLauncher launcher = new ServiceLauncher(stack, processes);
        launcher.checkJars(layout.services());
        LocalStack.checkPortsFree(layout.ports(), "another cluster");
        pidFiles.write(PidFiles.STACK, ProcessHandle.current().pid());

        System.out.println("[1/6] PostgreSQL at " + Database.HOST + ":" + Database.PORT + ", database "
                + database.name() + ", reached by the services through the proxy on :"
                + ClusterLayout.POSTGRES_PROXY_PORT);
        database.ensureReachable();
        database.ensureDatabase();
        database.migrate();
        postgres = proxy("postgres", ClusterLayout.POSTGRES_PROXY_PORT, List.of(new TcpProxy.Backend(
                "postgres", new InetSocketAddress(Database.HOST, Database.PORT), null)));

        System.out.println("[2/6] Kafka: three KRaft nodes at " + layout.bootstrapServers());
        startBrokers();
        try {
            TopicProvisioner.ensureCatalog(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    layout.bootstrapServers()), catalog, (short) ClusterLayout.KAFKA_NODES);
        } catch (PartitionCountMismatchException e) {
            throw new StackException(e.getMessage(), e);
        }

        System.out.println("[3/6] demo empresas");
        Map<DemoEmpresa, String> secrets = DemoTenants.seed(database);
        Instant now = Instant.now();

        System.out.println("[4/6] services");
        Map<String, String> serviceEnv = serviceEnvironment(now);
        startAndAwait(launcher, concat(layout.ingestNodes(), layout.streamProcessors()), serviceEnv, begin);
        startAndAwait(launcher, layout.gateways(), serviceEnv, begin);

        System.out.println("[5/6] load balancers");
        TcpProxy ingest = proxy("ingest-lb", ClusterLayout.INGEST_LB_PORT, backends(layout.ingestNodes()));
        TcpProxy gateway = proxy("gateway-lb", ClusterLayout.GATEWAY_LB_PORT, backends(layout.gateways()));
        balancers.add(ingest);
        balancers.add(gateway);
        control = ControlServer.start(ClusterLayout.CONTROL_PORT, postgres);

        System.out.println("[6/6] evolution-simulator, posting through the ingest load balancer");
        Map<String, String> simulatorEnv = new HashMap<>(serviceEnv);
        simulatorEnv.putAll(LocalStack.simulatorTargets("http://localhost:" + ClusterLayout.INGEST_LB_PORT, secrets));
        startAndAwait(launcher, List.of(layout.simulator()), simulatorEnv, begin);

        Duration startup = Duration.ofNanos(System.nanoTime() - begin);
        Path description = stack.dataDir().resolve(DESCRIPTION_FILE);
        ClusterDescription.write(description, layout, database, pidFiles, secrets, agentJwtSecret, adminApiToken,
                List.of(ingest, gateway, postgres));
        System.out.printf("%nchat-central local cluster is up after %d s. Data in %s, logs in %s%n%n",
                startup.toSeconds(), stack.dataDir(), stack.logsDir());
        System.out.println(ClusterDescription.render(layout, database, secrets, adminApiToken, description,
                DevTokens.supervisor(secrets.keySet().iterator().next(), agentJwtSecret, now)));

        Supervisor supervisor = new Supervisor(children, RestartPolicy::standard, Set.of(), stack::display,
                System.out);
        children.supervise(supervisor);
        throw new StackException(supervisor.awaitFatal() + "\nstopping everything");
    }

    /**
     * Starts the three nodes together: none answers before a majority of the quorum runs. The cluster id is made
     * once, and only when a node needs formatting.
     */
    private void startBrokers() throws InterruptedException {
        List<KafkaNode> quorum = layout.kafkaNodes();
        AtomicReference<String> clusterId = new AtomicReference<>();
        List<KafkaBroker> brokers = quorum.stream().map(node -> new KafkaBroker(stack, processes, node, quorum,
                () -> clusterId.updateAndGet(id -> id != null ? id : KafkaBroker.clusterId(quorum)))).toList();
        List<ChildProcess> started = new ArrayList<>();
        for (KafkaBroker broker : brokers) {
            started.add(children.start(broker, BROKER_STOP_GRACE));
        }
        for (int i = 0; i < brokers.size(); i++) {
            brokers.get(i).awaitReady(started.get(i), children::deathReport);
            System.out.println("  " + brokers.get(i).node().name() + " (node " + brokers.get(i).node().nodeId()
                    + ") up on :" + brokers.get(i).node().port());
        }
    }

    private TcpProxy proxy(String name, int port, List<TcpProxy.Backend> backends) {
        try {
            return TcpProxy.start(name, port, backends, HEALTH_INTERVAL);
        } catch (IOException e) {
            throw new StackException("cannot listen on " + port + " for " + name + ": " + e.getMessage(), e);
        }
    }

    static List<TcpProxy.Backend> backends(List<Service> nodes) {
        return nodes.stream().map(node -> new TcpProxy.Backend(node.name(),
                new InetSocketAddress("127.0.0.1", node.port()), node.healthUrl())).toList();
    }

    /** What every service of the cluster shares; {@link ClusterLayout#nodeEnvironment} adds each node's own. */
    private Map<String, String> serviceEnvironment(Instant now) {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "dev");
        env.put("KAFKA_BOOTSTRAP_SERVERS", layout.bootstrapServers());
        env.put("KAFKA_REPLICATION_FACTOR", Integer.toString(ClusterLayout.KAFKA_NODES));
        env.put("DATABASE_URL", database.jdbcUrlThrough(ClusterLayout.POSTGRES_PROXY_PORT));
        env.put("DATABASE_USER", database.user());
        env.put("DATABASE_PASSWORD", database.password());
        env.put("AGENT_JWT_SECRET", agentJwtSecret);
        env.put("ADMIN_API_TOKEN", adminApiToken);
        // the dispatcher runs inside each stream-processor (DISPATCHER_ENABLED defaults to true, as in bin/stack)
        // and answers customers through the simulator's Evolution API
        env.put("EVOLUTION_API_URL", "http://localhost:" + ClusterLayout.SIMULATOR_PORT);
        env.put("PROCESSOR_MANAGEMENT_URL",
                "http://127.0.0.1:" + layout.streamProcessors().get(0).managementPort());
        env.put("CONSOLE_DEMO_USERS_FILE",
                DemoUsers.writeConsoleFile(stack.configDir(), agentJwtSecret, now).toString());
        return env;
    }

    private void startAndAwait(ServiceLauncher launcher, List<Service> services, Map<String, String> env, long begin)
            throws InterruptedException {
        List<Launch> launches = new ArrayList<>();
        List<ChildProcess> started = new ArrayList<>();
        for (Service service : services) {
            Map<String, String> nodeEnv = new LinkedHashMap<>(env);
            nodeEnv.putAll(ClusterLayout.nodeEnvironment(service));
            launches.add(launcher.launch(service, nodeEnv, SERVICE_START_TIMEOUT));
            started.add(children.start(launches.get(launches.size() - 1), SERVICE_STOP_GRACE));
        }
        for (int i = 0; i < services.size(); i++) {
            launches.get(i).awaitReady(started.get(i), children::deathReport);
            System.out.printf("  %-20s up on :%d (management :%d) after %.0f s, pid %d%n", services.get(i).name(),
                    services.get(i).port(), services.get(i).managementPort(), (System.nanoTime() - begin) / 1e9,
                    started.get(i).pid());
        }
    }

    private static List<Service> concat(List<Service> first, List<Service> second) {
        List<Service> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private void shutdown() {
        if (control != null) {
            control.stop();
        }
        // the balancers first: no new connection reaches a node that is stopping
        balancers.forEach(TcpProxy::close);
        if (!children.isEmpty()) {
            System.out.println("\nstopping the local cluster");
            children.stopAll();
            System.out.println("stopped; data kept in " + stack.dataDir());
        }
        if (postgres != null) {
            postgres.close();
        }
        pidFiles.remove(PidFiles.STACK, ProcessHandle.current().pid());
        Runtime.getRuntime().halt(exitStatus);
    }
}
