package dev.chatcentral.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import dev.chatcentral.localstack.StackLayout;
import dev.chatcentral.localstack.cluster.ClusterLayout;
import dev.chatcentral.localstack.service.Service;

/**
 * docker-compose.yml against what the services read, the env file's example, deploy/haproxy.cfg and
 * docs/operations.md (no Docker engine runs here: .ci/run has Debian's docker-compose validate the file itself).
 * Each check is also run on a copy of the files with one mistake in it, to show it catches that mistake.
 */
class DockerComposeTest {

    private static final Path ROOT = Repository.root();
    private static final String COMPOSE = Repository.read(ROOT.resolve("docker-compose.yml"));
    private static final String HAPROXY = Repository.read(ROOT.resolve("deploy/haproxy.cfg"));
    private static final String OPERATIONS = Repository.read(ROOT.resolve("docs/operations.md"));
    private static final String ENV_EXAMPLE = Repository.read(ROOT.resolve("deploy/production.env.example"));
    /** Webhooks (Evolution) to the ingest nodes, browsers to the gateway nodes. */
    private static final Map<Integer, String> BALANCED = Map.of(8081, "ingest", 8080, "gateway");

    @Test
    void deploysTheProductionTopology() {
        ComposeLayout layout = checks(COMPOSE, HAPROXY).layout();

        assertThat(layout.brokers()).isEqualTo(3);
        assertThat(layout.nodeCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ingest", 2, "stream-processor", 2, "gateway", 3, "evolution-simulator", 1));
        assertThat(layout.balancedPorts()).isEqualTo(BALANCED);
        assertThat(layout.nodesByModule().get("gateway")).extracting(ComposeLayout.Node::publicPort,
                ComposeLayout.Node::managementPort).containsOnly(Tuple.tuple(8080, 9080));
    }

    /**
     * The deployment and bin/cluster are one topology: as many brokers and nodes of each module, the same modules
     * behind the load balancer, and every node given the variables that tell it from the others of its module
     * (their ports aside: they matter only where the nodes share one host, as bin/cluster's do).
     */
    @Test
    void deploysTheTopologyBinClusterRuns() {
        ComposeLayout compose = checks(COMPOSE, HAPROXY).layout();
        ClusterLayout cluster = new ClusterLayout(new StackLayout(ROOT, ROOT.resolve(".cluster")));

        assertThat(compose.brokers()).isEqualTo(cluster.kafkaNodes().size());
        assertThat(compose.nodeCounts()).containsExactlyInAnyOrderEntriesOf(cluster.services().stream()
                .collect(Collectors.groupingBy(Service::module, Collectors.summingInt(service -> 1))));
        assertThat(Set.copyOf(compose.balancedPorts().values()))
                .containsExactlyInAnyOrder(Service.INGEST_MODULE, Service.GATEWAY_MODULE);
        for (Service node : cluster.services()) {
            Set<String> ownVariables = new HashSet<>(ClusterLayout.nodeEnvironment(node).keySet());
            ownVariables.removeAll(Set.of("SERVER_PORT", "MANAGEMENT_PORT"));
            List<ComposeLayout.Node> composeNodes = compose.nodesByModule().get(node.module());
            for (String variable : ownVariables) {
                assertThat(composeNodes).as("%s on every %s node of docker-compose.yml", variable, node.module())
                        .allSatisfy(composeNode -> assertThat(composeNode.environment()).containsKey(variable));
                assertThat(composeNodes.stream().map(composeNode -> composeNode.environment().get(variable)))
                        .as("%s, one value per node", variable).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void everyVariableIsOneTheServiceReadsAndTheOperationsGuideDocuments() {
        assertThat(checks(COMPOSE, HAPROXY).variablesAreReadAndDocumented()).isEmpty();

        String typo = replace(COMPOSE, "      INGEST_NODE_ID: ingest-1\n",
                "      INGEST_NODE_ID: ingest-1\n      INGEST_ACK_TIMOUT: 5s\n");
        assertThat(checks(typo, HAPROXY).variablesAreReadAndDocumented()).containsExactlyInAnyOrder(
                "ingest-1 sets INGEST_ACK_TIMOUT, which ingest does not read (not in ingest.yml or its imports)",
                "ingest-1 sets INGEST_ACK_TIMOUT, which docs/operations.md does not document");
        // read by the ingest, but a variable of the gateway's
        String foreign = replace(COMPOSE, "      INGEST_NODE_ID: ingest-2\n",
                "      INGEST_NODE_ID: ingest-2\n      GATEWAY_NODE_ID: ingest-2\n");
        assertThat(checks(foreign, HAPROXY).variablesAreReadAndDocumented())
                .containsExactly("ingest-2 sets GATEWAY_NODE_ID, which ingest does not read"
                        + " (not in ingest.yml or its imports)");
    }

    @Test
    void noServiceRunsInTheDevelopmentProfile() {
        assertThat(checks(COMPOSE, HAPROXY).noServiceRunsInDevelopment()).isEmpty();

        String dev = replace(COMPOSE, "      GATEWAY_NODE_ID: gateway-2\n",
                "      GATEWAY_NODE_ID: gateway-2\n      SPRING_PROFILES_ACTIVE: dev\n");
        assertThat(checks(dev, HAPROXY).noServiceRunsInDevelopment()).singleElement().asString()
                .startsWith("gateway-2 sets SPRING_PROFILES_ACTIVE");
    }

    @Test
    void everySecretComesFromTheEnvFileAndStopsComposeWhenMissing() {
        assertThat(checks(COMPOSE, HAPROXY).secretsComeFromTheEnvFile()).isEmpty();

        String defaulted = replace(COMPOSE, "${WEBHOOK_SECRET_ENCRYPTION_KEY:?", "${WEBHOOK_SECRET_ENCRYPTION_KEY:-");
        assertThat(checks(defaulted, HAPROXY).secretsComeFromTheEnvFile()).hasSize(2).allSatisfy(problem ->
                assertThat(problem).matches("ingest-[12] sets WEBHOOK_SECRET_ENCRYPTION_KEY to .* instead of .*"));
        String forgotten = COMPOSE.replaceAll("(?m)^  AGENT_JWT_SECRET: .*\\n", "");
        assertThat(forgotten).isNotEqualTo(COMPOSE);
        assertThat(checks(forgotten, HAPROXY).secretsComeFromTheEnvFile()).containsExactly(
                "gateway-1 is not given AGENT_JWT_SECRET, which gateway needs in production",
                "gateway-2 is not given AGENT_JWT_SECRET, which gateway needs in production",
                "gateway-3 is not given AGENT_JWT_SECRET, which gateway needs in production",
                "deploy/production.env.example has AGENT_JWT_SECRET, which docker-compose.yml never uses");

        ComposeChecks filledExample = new ComposeChecks(ROOT, ComposeFile.parse(COMPOSE),
                LoadBalancerConfig.parse(HAPROXY), OPERATIONS, replace(ENV_EXAMPLE, "\nADMIN_API_TOKEN=\n",
                        "\nADMIN_API_TOKEN=a-real-token-committed-by-mistake-0123456789\n"));
        assertThat(filledExample.secretsComeFromTheEnvFile()).containsExactly("deploy/production.env.example gives"
                + " ADMIN_API_TOKEN a value: the example must hold no secret, and compose must refuse to start on it"
                + " as it is");
    }

    @Test
    void everyServiceIsBuiltFromTheServiceDockerfileWithItsModuleAndHealthCheck() {
        assertThat(checks(COMPOSE, HAPROXY).imagesBuildFromTheServiceDockerfile()).isEmpty();

        String wrongPort = replace(COMPOSE, "      MODULE: gateway\n      HEALTHCHECK_PORT: \"9080\"",
                "      MODULE: gateway\n      HEALTHCHECK_PORT: \"8080\"");
        assertThat(checks(wrongPort, HAPROXY).imagesBuildFromTheServiceDockerfile()).containsExactly(
                "gateway-1's health check asks port 8080, but its management port is 9080",
                "gateway-2's health check asks port 8080, but its management port is 9080",
                "gateway-3's health check asks port 8080, but its management port is 9080");
        String wrongModule = replace(COMPOSE, "      MODULE: stream-processor\n", "      MODULE: strem-processor\n");
        assertThatThrownBy(() -> checks(wrongModule, HAPROXY).imagesBuildFromTheServiceDockerfile())
                .hasMessageContaining("no service module 'strem-processor'");

        String dockerfile = Repository.read(ROOT.resolve(ComposeChecks.DOCKERFILE));
        assertThat(dockerfile)
                .contains("ARG MODULE", "java -Djarmode=tools -jar application.jar extract --layers --launcher",
                        "USER chatcentral", "HEALTHCHECK ", "${MANAGEMENT_PORT:-$HEALTHCHECK_PORT}${HEALTHCHECK_PATH}",
                        "org.springframework.boot.loader.launch.JarLauncher");
        // the build context is the executable jars alone: no source, no deploy/production.env
        assertThat(Repository.read(ROOT.resolve(".dockerignore")).lines().filter(l -> !l.startsWith("#"))
                .filter(l -> !l.isBlank()).toList()).containsExactly("*", "!*/target/*-exec.jar");
    }

    @Test
    void theLoadBalancerSpreadsOverEveryIngestAndGatewayNodeAndChecksTheirReadiness() {
        assertThat(checks(COMPOSE, HAPROXY).loadBalancerMatchesTheNodes(BALANCED)).isEmpty();

        String forgotten = replace(HAPROXY, "    server gateway-3 gateway-3:8080 port 9080\n", "");
        assertThat(checks(COMPOSE, forgotten).loadBalancerMatchesTheNodes(BALANCED)).containsExactly(
                "the load balancer's gateway servers are [gateway-1, gateway-2], the compose file's gateway nodes"
                        + " [gateway-1, gateway-2, gateway-3]");
        String publicCheck = replace(HAPROXY, "server ingest-2 ingest-2:8081 port 9081", "server ingest-2 ingest-2:8081");
        assertThat(checks(COMPOSE, publicCheck).loadBalancerMatchesTheNodes(BALANCED)).containsExactly(
                "the load balancer checks ingest-2 on port 8081, but its management port is 9081");
        String exposed = replace(COMPOSE, "  gateway-2:\n    <<: *gateway\n",
                "  gateway-2:\n    <<: *gateway\n    ports:\n      - \"9080:9080\"\n");
        assertThat(checks(exposed, HAPROXY).loadBalancerMatchesTheNodes(BALANCED)).containsExactly(
                "gateway-2 publishes [9080:9080]: only the load balancer is reachable from outside");
    }

    @Test
    void threeBrokersFormTheQuorumAndEveryServiceKnowsThemAll() {
        assertThat(checks(COMPOSE, HAPROXY).brokersFormAQuorumOfThree()).isEmpty();

        String weak = replace(COMPOSE, "  KAFKA_MIN_INSYNC_REPLICAS: \"2\"", "  KAFKA_MIN_INSYNC_REPLICAS: \"1\"");
        assertThat(checks(weak, HAPROXY).brokersFormAQuorumOfThree()).containsExactly(
                "kafka-1 sets KAFKA_MIN_INSYNC_REPLICAS to 1, not 2",
                "kafka-2 sets KAFKA_MIN_INSYNC_REPLICAS to 1, not 2",
                "kafka-3 sets KAFKA_MIN_INSYNC_REPLICAS to 1, not 2");
        String partial = replace(COMPOSE, "KAFKA_BOOTSTRAP_SERVERS: kafka-1:9092,kafka-2:9092,kafka-3:9092",
                "KAFKA_BOOTSTRAP_SERVERS: kafka-1:9092");
        assertThat(checks(partial, HAPROXY).brokersFormAQuorumOfThree()).hasSize(7).allSatisfy(problem ->
                assertThat(problem).endsWith("sets KAFKA_BOOTSTRAP_SERVERS to kafka-1:9092, not"
                        + " kafka-1:9092,kafka-2:9092,kafka-3:9092"));
    }

    @Test
    void malformedFilesAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> ComposeFile.parse("name: x\n")).hasMessageContaining("services is not a mapping");
        assertThatThrownBy(() -> ComposeFile.parse("")).hasMessageContaining("the compose file is not a mapping");
        assertThatThrownBy(() -> ComposeFile.parse("services:\n  a:\n    environment:\n      - A=1\n"))
                .hasMessageContaining("the environment of a is not a mapping");
        assertThatThrownBy(() -> ComposeFile.parse("services:\n  a:\n    build:\n      context: .\n"))
                .hasMessageContaining("service a is built without a MODULE build arg");
        assertThatThrownBy(() -> ComposeFile.parse("services:\n  a:\n    environment:\n      A: [1]\n"))
                .hasMessageContaining("the environment of a: A is not a scalar");
        assertThatThrownBy(() -> ComposeFile.parse("services:\n  a: {image: x, environment: {A: \"\u0000\"}}\n"))
                .hasMessageContaining("special characters are not allowed");
        assertThatThrownBy(() -> LoadBalancerConfig.parse("backend gateway\n    server gateway-1\n"))
                .hasMessageContaining("haproxy.cfg line 2 (server gateway-1): expected 'server NAME HOST:PORT ...'");
        assertThatThrownBy(() -> ServiceSettings.of(ROOT, "../../etc"))
                .hasMessageContaining("no service module '../../etc'");
        assertThat(ComposeFile.requiredVariables("${A:?a} ${B:-b} $${C:?c} ${D?d} ${E}")).containsExactly("A");
        assertThat(ComposeFile.interpolatedVariables("${A:?a} ${B:-b} $${C:?c} ${D?d} ${E}"))
                .containsExactly("A", "B", "D", "E");
        assertThat(ComposeFile.requiredVariables("x".repeat(1_000_000))).isEmpty();
    }

    private static ComposeChecks checks(String compose, String haproxy) {
        return new ComposeChecks(ROOT, ComposeFile.parse(compose), LoadBalancerConfig.parse(haproxy), OPERATIONS,
                ENV_EXAMPLE);
    }

    /** {@code text} with {@code from} replaced, which must be in it: a mutation that changes nothing proves nothing. */
    private static String replace(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }
}
