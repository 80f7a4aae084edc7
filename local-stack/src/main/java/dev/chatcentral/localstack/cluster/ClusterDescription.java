package dev.chatcentral.localstack.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.localstack.kafka.KafkaNode;
import dev.chatcentral.localstack.postgres.Database;
import dev.chatcentral.localstack.process.PidFiles;
import dev.chatcentral.localstack.proxy.TcpProxy;
import dev.chatcentral.localstack.service.Service;
import dev.chatcentral.localstack.tenant.DemoEmpresa;
import dev.chatcentral.schemas.serde.Json;

/**
 * What the running cluster is, for people (printed at start) and for the chaos suite ({@code cluster.json} in the
 * data directory): every process with its ports, URLs, log and pid file, the load balancers, the PostgreSQL proxy
 * and its control URL, the database, the demo empresas' webhook secrets and the development secrets. A pid in the
 * file is the one at start; after a restart the pid file holds the new one.
 */
final class ClusterDescription {

    private ClusterDescription() {
    }

    static void write(Path file, ClusterLayout layout, Database database, PidFiles pidFiles,
            Map<DemoEmpresa, String> secrets, String agentJwtSecret, String adminApiToken, List<TcpProxy> proxies) {
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json(layout, database, pidFiles, secrets, agentJwtSecret, adminApiToken, proxies));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, json + "\n", StandardCharsets.UTF_8);
            // a reader never sees half a file
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode json(ClusterLayout layout, Database database, PidFiles pidFiles,
            Map<DemoEmpresa, String> secrets, String agentJwtSecret, String adminApiToken, List<TcpProxy> proxies) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("startedAt", Instant.now().toString());
        root.put("dataDir", layout.stack().dataDir().toString());
        root.put("launcherPid", ProcessHandle.current().pid());
        root.put("controlUrl", "http://127.0.0.1:" + ClusterLayout.CONTROL_PORT);
        root.put("bootstrapServers", layout.bootstrapServers());
        root.put("ingestUrl", "http://127.0.0.1:" + ClusterLayout.INGEST_LB_PORT);
        root.put("gatewayUrl", "http://127.0.0.1:" + ClusterLayout.GATEWAY_LB_PORT);
        root.put("gatewayWebSocketUrl", "ws://127.0.0.1:" + ClusterLayout.GATEWAY_LB_PORT + "/ws");

        ArrayNode nodes = root.putArray("nodes");
        for (KafkaNode kafka : layout.kafkaNodes()) {
            ObjectNode node = process(nodes, layout, pidFiles, kafka.name(), "kafka");
            node.put("nodeId", kafka.nodeId());
            node.put("port", kafka.port());
            node.put("controllerPort", kafka.controllerPort());
            node.put("bootstrap", kafka.address());
        }
        for (Service service : layout.services()) {
            ObjectNode node = process(nodes, layout, pidFiles, service.name(), service.module());
            node.put("port", service.port());
            node.put("managementPort", service.managementPort());
            node.put("url", "http://127.0.0.1:" + service.port());
            node.put("readinessUrl", service.healthUrl().toString());
        }

        ArrayNode balancers = root.putArray("proxies");
        for (TcpProxy proxy : proxies) {
            ObjectNode balancer = balancers.addObject();
            balancer.put("name", proxy.name());
            balancer.put("port", proxy.port());
            ArrayNode backends = balancer.putArray("backends");
            proxy.backends().forEach(backend -> backends.add(backend.name()));
        }

        ObjectNode postgres = root.putObject("database");
        postgres.put("name", database.name());
        postgres.put("jdbcUrl", database.jdbcUrl());
        postgres.put("servicesJdbcUrl", database.jdbcUrlThrough(ClusterLayout.POSTGRES_PROXY_PORT));
        postgres.put("user", database.user());
        postgres.put("pauseUrl", "http://127.0.0.1:" + ClusterLayout.CONTROL_PORT + "/postgres/pause?seconds=");

        ArrayNode empresas = root.putArray("empresas");
        secrets.forEach((empresa, secret) -> empresas.addObject()
                .put("id", empresa.id())
                .put("nome", empresa.nome())
                .put("instance", empresa.instance())
                .put("webhookSecret", secret));
        root.put("agentJwtSecret", agentJwtSecret);
        root.put("adminApiToken", adminApiToken);
        return root;
    }

    private static ObjectNode process(ArrayNode nodes, ClusterLayout layout, PidFiles pidFiles, String name,
            String kind) {
        ObjectNode node = nodes.addObject();
        node.put("name", name);
        node.put("kind", kind);
        pidFiles.read(name).ifPresent(pid -> node.put("pid", pid));
        node.put("pidFile", layout.stack().runDir().resolve(name + ".pid").toString());
        node.put("log", layout.stack().logFile(name).toString());
        return node;
    }

    /** The text printed once the cluster is up. */
    static String render(ClusterLayout layout, Database database, Map<DemoEmpresa, String> secrets,
            String adminApiToken, Path description, String supervisorToken) {
        StringBuilder text = new StringBuilder();
        text.append(row("Console", "http://localhost:" + ClusterLayout.GATEWAY_LB_PORT
                + "/console/ (through the gateway load balancer)"));
        text.append(row("Gateway WebSocket", "ws://localhost:" + ClusterLayout.GATEWAY_LB_PORT + "/ws"));
        text.append(row("Ingest webhooks", "http://localhost:" + ClusterLayout.INGEST_LB_PORT
                + "/webhooks/evolution/{empresaId}"));
        text.append(row("Kafka", layout.bootstrapServers() + " (one KRaft quorum: "
                + KafkaNode.voters(layout.kafkaNodes()) + ")"));
        text.append(row("PostgreSQL", database.jdbcUrl() + "; the services use "
                + database.jdbcUrlThrough(ClusterLayout.POSTGRES_PROXY_PORT)));
        text.append('\n');
        text.append(String.format("%-20s %-7s %-11s %s%n", "process", "port", "management", "log"));
        for (KafkaNode node : layout.kafkaNodes()) {
            text.append(String.format("%-20s %-7d %-11s %s%n", node.name(), node.port(),
                    "ctrl " + node.controllerPort(), layout.stack().display(layout.stack().logFile(node.name()))));
        }
        for (Service service : layout.services()) {
            text.append(String.format("%-20s %-7d %-11d %s%n", service.name(), service.port(),
                    service.managementPort(), layout.stack().display(layout.stack().logFile(service.name()))));
        }
        text.append('\n');
        for (Map.Entry<DemoEmpresa, String> entry : secrets.entrySet()) {
            text.append(row("Empresa " + entry.getKey().id(), "webhook secret " + entry.getValue()));
        }
        DemoEmpresa first = secrets.keySet().iterator().next();
        text.append(row("Supervisor JWT", supervisorToken + " (" + first.id() + ")"));
        text.append(row("Admin token", adminApiToken + " (management ports)"));
        text.append('\n');
        text.append("Everything above, with pids and pid files, for scripts: ").append(description).append('\n');
        text.append("Watch ").append(first.id()).append("'s events through the load balancer:\n  ")
                .append(layout.stack().root().resolve("bin").resolve("watch")).append(" --url ws://localhost:")
                .append(ClusterLayout.GATEWAY_LB_PORT).append("/ws --token ").append(supervisorToken)
                .append(" --channel empresa:").append(first.id()).append('\n');
        text.append("From another terminal: bin/cluster --kill gateway-2 (restarted), bin/cluster --pause-postgres 30")
                .append('\n');
        text.append("A process that dies is restarted; Ctrl-C stops everything.");
        return text.toString();
    }

    private static String row(String label, String value) {
        return String.format("%-20s %s%n", label, value);
    }
}
