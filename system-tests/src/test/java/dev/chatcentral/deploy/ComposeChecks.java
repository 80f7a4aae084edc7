package dev.chatcentral.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must hold between docker-compose.yml, the env file's example, the load balancer's configuration, the
 * services' own settings and docs/operations.md. Each check returns its problems, one sentence each, so a test
 * shows all of them at once.
 */
final class ComposeChecks {

    static final String DOCKERFILE = "deploy/service.Dockerfile";

    /**
     * The secrets and settings each service refuses to start without outside the dev profile (docs/operations.md,
     * "Production checklist"): the compose file must take each from the env file and refuse to start without it.
     * The gateway may check agents' tokens with a JWKS URL instead of the HS256 secret; this deployment uses the
     * secret, with the URL optional.
     */
    static final Map<String, Set<String>> REQUIRED_FROM_ENV_FILE = Map.of(
            "ingest", Set.of("ADMIN_API_TOKEN", "DATABASE_PASSWORD", "WEBHOOK_SECRET_ENCRYPTION_KEY"),
            "stream-processor", Set.of("ADMIN_API_TOKEN", "DATABASE_PASSWORD", "EVOLUTION_API_KEY"),
            "dispatcher", Set.of("ADMIN_API_TOKEN", "DATABASE_PASSWORD", "EVOLUTION_API_KEY"),
            "gateway", Set.of("ADMIN_API_TOKEN", "DATABASE_PASSWORD", "AGENT_JWT_SECRET", "AGENT_JWT_ISSUERS",
                    "AGENT_JWT_AUDIENCES", "WEBSOCKET_ALLOWED_ORIGINS", "REST_ALLOWED_ORIGINS"));

    private static final Pattern DOCUMENTED_VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern ENV_FILE_LINE = Pattern.compile("^([A-Z][A-Z0-9_]*)=(.*)$", Pattern.MULTILINE);

    private final ComposeFile compose;
    private final LoadBalancerConfig balancer;
    private final Set<String> documented;
    private final Map<String, String> envFileExample;
    private final Map<String, ServiceSettings> settings = new HashMap<>();
    private final Path root;

    ComposeChecks(Path root, ComposeFile compose, LoadBalancerConfig balancer, String operationsDoc,
                  String envFileExample) {
        this.root = root;
        this.compose = compose;
        this.balancer = balancer;
        this.documented = documentedVariables(operationsDoc);
        this.envFileExample = envFile(envFileExample);
    }

    ServiceSettings settings(String module) {
        return settings.computeIfAbsent(module, m -> ServiceSettings.of(root, m));
    }

    ComposeLayout layout() {
        return ComposeLayout.of(compose, balancer, this::settings);
    }

    /** Every variable set on a service is one it reads, and one docs/operations.md documents. */
    List<String> variablesAreReadAndDocumented() {
        List<String> problems = new ArrayList<>();
        for (ComposeFile.Service service : built()) {
            ServiceSettings own = settings(service.module());
            for (String variable : service.environment().keySet()) {
                boolean documentedHere = documented.contains(variable);
                if (!own.reads(variable) && !(documentedHere && own.ownsNamespaceOf(variable))) {
                    problems.add(service.name() + " sets " + variable + ", which " + service.module()
                            + " does not read (not in " + service.module() + ".yml or its imports)");
                }
                if (!documentedHere) {
                    problems.add(service.name() + " sets " + variable + ", which docs/operations.md does not document");
                }
            }
        }
        return problems;
    }

    /** No service runs in the dev profile, whose secrets are published: the profile is chosen by environment. */
    List<String> noServiceRunsInDevelopment() {
        List<String> problems = new ArrayList<>();
        for (ComposeFile.Service service : built()) {
            service.environment().keySet().stream().filter(v -> v.startsWith("SPRING_PROFILES_"))
                    .forEach(v -> problems.add(service.name() + " sets " + v + ": the services run in the production"
                            + " profile, which is the one chosen when no profile is set"));
        }
        return problems;
    }

    /**
     * Each secret a service needs comes from the env file, the file refusing to start without it
     * ({@code ${VAR:?message}}), and the env file's example lists it; the example lists nothing the file does not use.
     */
    List<String> secretsComeFromTheEnvFile() {
        List<String> problems = new ArrayList<>();
        for (ComposeFile.Service service : built()) {
            for (String variable : REQUIRED_FROM_ENV_FILE.getOrDefault(service.module(), Set.of())) {
                String value = service.environment().get(variable);
                if (value == null) {
                    problems.add(service.name() + " is not given " + variable + ", which " + service.module()
                            + " needs in production");
                } else if (!ComposeFile.requiredVariables(value).equals(Set.of(variable))) {
                    problems.add(service.name() + " sets " + variable + " to '" + value + "' instead of ${" + variable
                            + ":?...}: the env file's value, without which it must not start");
                }
            }
        }
        Set<String> interpolated = compose.interpolatedVariables();
        Set<String> required = new TreeSet<>();
        compose.services().values().forEach(s -> s.environment().values()
                .forEach(v -> required.addAll(ComposeFile.requiredVariables(v))));
        for (String variable : required) {
            if (!envFileExample.containsKey(variable)) {
                problems.add("docker-compose.yml requires " + variable + ", which deploy/production.env.example lacks");
            }
        }
        envFileExample.forEach((variable, value) -> {
            if (!interpolated.contains(variable)) {
                problems.add("deploy/production.env.example has " + variable + ", which docker-compose.yml never uses");
            }
            if (!value.isEmpty()) {
                problems.add("deploy/production.env.example gives " + variable + " a value: the example must hold no"
                        + " secret, and compose must refuse to start on it as it is");
            }
        });
        return problems;
    }

    /** Each service is built from the one Dockerfile, with its module and its health check on its management port. */
    List<String> imagesBuildFromTheServiceDockerfile() {
        List<String> problems = new ArrayList<>();
        for (ComposeFile.Service service : built()) {
            String name = service.name();
            if (!DOCKERFILE.equals(service.dockerfile()) || !".".equals(service.buildContext())) {
                problems.add(name + " is built from " + service.dockerfile() + " in " + service.buildContext()
                        + ", not from " + DOCKERFILE + " in the repository root");
            }
            if (!("chat-central/" + service.module()).equals(service.image())) {
                problems.add(name + " is tagged " + service.image() + ", not chat-central/" + service.module());
            }
            if (!name.equals(service.module()) && !name.matches(Pattern.quote(service.module()) + "-\\d+")) {
                problems.add(name + " is built from module " + service.module() + ": a node's name is its module's,"
                        + " numbered");
            }
            int management = settings(service.module()).managementPort(service.environment());
            if (!String.valueOf(management).equals(service.buildArgs().get("HEALTHCHECK_PORT"))) {
                problems.add(name + "'s health check asks port " + service.buildArgs().get("HEALTHCHECK_PORT")
                        + ", but its management port is " + management);
            }
        }
        return problems;
    }

    /**
     * The load balancer sends webhooks to every ingest node and browsers to every gateway node, on their public
     * ports, checking each on its management port; it publishes those two ports and nothing else.
     */
    List<String> loadBalancerMatchesTheNodes(Map<Integer, String> publicPortsToModule) {
        List<String> problems = new ArrayList<>();
        Map<Integer, String> routed = new HashMap<>();
        balancer.frontendPorts().forEach((port, backend) -> routed.put(port, backend));
        if (!routed.equals(publicPortsToModule)) {
            problems.add("the load balancer routes " + routed + ", not " + publicPortsToModule);
        }
        for (Map.Entry<Integer, String> entry : publicPortsToModule.entrySet()) {
            String module = entry.getValue();
            List<LoadBalancerConfig.Server> servers = balancer.backends().getOrDefault(module, List.of());
            List<String> nodes = compose.instancesOf(module).stream().map(ComposeFile.Service::name).toList();
            List<String> hosts = servers.stream().map(LoadBalancerConfig.Server::host).toList();
            if (!hosts.equals(nodes)) {
                problems.add("the load balancer's " + module + " servers are " + hosts + ", the compose file's "
                        + module + " nodes " + nodes);
            }
            for (LoadBalancerConfig.Server server : servers) {
                if (!nodes.contains(server.host())) {
                    continue;
                }
                ComposeFile.Service node = compose.service(server.host());
                ServiceSettings own = settings(module);
                if (server.port() != own.publicPort(node.environment())) {
                    problems.add("the load balancer sends to " + server.host() + ":" + server.port() + ", but "
                            + server.host() + " listens on " + own.publicPort(node.environment()));
                }
                if (server.checkPort() != own.managementPort(node.environment())) {
                    problems.add("the load balancer checks " + server.host() + " on port " + server.checkPort()
                            + ", but its management port is " + own.managementPort(node.environment()));
                }
            }
        }
        List<String> published = new ArrayList<>();
        publicPortsToModule.keySet().stream().sorted().forEach(p -> published.add(p + ":" + p));
        for (ComposeFile.Service service : compose.services().values()) {
            boolean isBalancer = service.image() != null && service.image().startsWith("haproxy:");
            if (isBalancer && !service.ports().equals(published)) {
                problems.add(service.name() + " publishes " + service.ports() + ", not " + published);
            } else if (!isBalancer && !service.ports().isEmpty()) {
                problems.add(service.name() + " publishes " + service.ports()
                        + ": only the load balancer is reachable from outside");
            }
        }
        return problems;
    }

    /**
     * Three KRaft brokers, each a controller of a quorum of the three, topics replicated three times with two in
     * sync for a write; every service that uses Kafka knows all three brokers and creates its topics with three
     * replicas.
     */
    List<String> brokersFormAQuorumOfThree() {
        List<String> problems = new ArrayList<>();
        List<ComposeFile.Service> brokers = compose.runningImage("apache/kafka:");
        if (brokers.size() != 3) {
            problems.add(brokers.size() + " brokers, not 3");
        }
        List<String> voters = new ArrayList<>();
        List<String> listeners = new ArrayList<>();
        for (ComposeFile.Service broker : brokers) {
            Map<String, String> env = broker.environment();
            voters.add(env.get("KAFKA_NODE_ID") + "@" + broker.name() + ":9093");
            listeners.add(broker.name() + ":9092");
            expect(problems, broker, "KAFKA_PROCESS_ROLES", "broker,controller");
            expect(problems, broker, "KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + broker.name() + ":9092");
            expect(problems, broker, "KAFKA_DEFAULT_REPLICATION_FACTOR", "3");
            expect(problems, broker, "KAFKA_MIN_INSYNC_REPLICAS", "2");
            expect(problems, broker, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3");
            expect(problems, broker, "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3");
            expect(problems, broker, "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
        }
        for (ComposeFile.Service broker : brokers) {
            expect(problems, broker, "KAFKA_CONTROLLER_QUORUM_VOTERS", String.join(",", voters));
        }
        if (brokers.stream().map(b -> b.environment().get("KAFKA_NODE_ID")).distinct().count() != brokers.size()) {
            problems.add("two brokers share a KAFKA_NODE_ID");
        }
        for (ComposeFile.Service service : built()) {
            if (!settings(service.module()).reads("KAFKA_BOOTSTRAP_SERVERS")) {
                continue;
            }
            expect(problems, service, "KAFKA_BOOTSTRAP_SERVERS", String.join(",", listeners));
            expect(problems, service, "KAFKA_REPLICATION_FACTOR", "3");
        }
        return problems;
    }

    private static void expect(List<String> problems, ComposeFile.Service service, String variable, String value) {
        String actual = service.environment().get(variable);
        if (!value.equals(actual)) {
            problems.add(service.name() + " sets " + variable + " to " + actual + ", not " + value);
        }
    }

    private List<ComposeFile.Service> built() {
        return compose.services().values().stream().filter(ComposeFile.Service::isBuilt).toList();
    }

    private static Set<String> documentedVariables(String doc) {
        Set<String> variables = new TreeSet<>();
        Matcher matcher = DOCUMENTED_VARIABLE.matcher(doc);
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        return variables;
    }

    private static Map<String, String> envFile(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher matcher = ENV_FILE_LINE.matcher(text);
        while (matcher.find()) {
            values.put(matcher.group(1), matcher.group(2).strip());
        }
        return values;
    }
}
