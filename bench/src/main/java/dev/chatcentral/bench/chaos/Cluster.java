package dev.chatcentral.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The running bin/cluster as its {@code cluster.json} describes it, and the faults the suite inflicts on it:
 * SIGKILL, SIGSTOP/SIGCONT of a process found through its pid file, and PostgreSQL taken away through the
 * cluster's proxy. Processes killed are restarted by bin/cluster itself, as an orchestrator would.
 */
final class Cluster {

    private final JsonNode description;
    private final Map<String, JsonNode> nodes = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Cluster(JsonNode description) {
        this.description = description;
        description.path("nodes").forEach(node -> nodes.put(node.path("name").asString(), node));
    }

    static Cluster read(Path file) throws IOException {
        try {
            return new Cluster(Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no " + file + ": start the cluster with bin/cluster first (or set "
                    + "CHATCENTRAL_DATA_DIR to its data directory)", e);
        }
    }

    String text(String field) {
        String value = description.path(field).asString();
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("cluster.json has no " + field);
        }
        return value;
    }

    int ingestPort() {
        return URI.create(text("ingestUrl")).getPort();
    }

    int gatewayPort() {
        return URI.create(text("gatewayUrl")).getPort();
    }

    String jdbcUrl() {
        return description.path("database").path("jdbcUrl").asString();
    }

    String databaseUser() {
        return description.path("database").path("user").asString();
    }

    int managementPort(String name) {
        return node(name).path("managementPort").asInt();
    }

    List<String> names(String kind) {
        return nodes.values().stream().filter(n -> kind.equals(n.path("kind").asString()))
                .map(n -> n.path("name").asString()).sorted().toList();
    }

    /** The pid in the process's pid file now (bin/cluster rewrites it on every restart). */
    OptionalLong pid(String name) {
        Path file = Path.of(node(name).path("pidFile").asString());
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    long kill9(String name) {
        long pid = livePid(name);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return pid;
    }

    long signal(String name, String signal) throws IOException, InterruptedException {
        long pid = livePid(name);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " (" + name + ") failed");
        }
        return pid;
    }

    /** Waits until {@code name} runs as another process than {@code oldPid} and answers its readiness probe. */
    Duration awaitBack(String name, long oldPid, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = pid(name);
            if (pid.isPresent() && pid.getAsLong() != oldPid && ProcessHandle.of(pid.getAsLong())
                    .map(ProcessHandle::isAlive).orElse(false) && ready(name)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not back within " + timeout.toSeconds() + " s");
    }

    /** A broker is ready once it answers a metadata request; a service once its readiness probe says 200. */
    boolean ready(String name) {
        JsonNode node = node(name);
        if ("kafka".equals(node.path("kind").asString())) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    node.path("bootstrap").asString(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                    URI.create(node.path("readinessUrl").asString())).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The broker leading the most partitions of chat.events, by process name. */
    String busiestEventsLeader() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                text("bootstrapServers")))) {
            TopicDescription events = admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get(Topics.EVENTS.name());
            Map<Integer, Integer> led = new HashMap<>();
            for (TopicPartitionInfo partition : events.partitions()) {
                if (partition.leader() != null) {
                    led.merge(partition.leader().id(), 1, Integer::sum);
                }
            }
            int leader = led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return nodes.values().stream().filter(n -> n.path("nodeId").asInt(-1) == leader)
                    .map(n -> n.path("name").asString()).findFirst().orElseThrow();
        }
    }

    void pausePostgres(int seconds) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(text("controlUrl") + "/postgres/pause?seconds=" + seconds))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the cluster refused the pause: " + response.body());
        }
    }

    private long livePid(String name) {
        OptionalLong pid = pid(name);
        if (pid.isEmpty() || ProcessHandle.of(pid.getAsLong()).map(p -> !p.isAlive()).orElse(true)) {
            throw new IllegalStateException(name + " is not running now");
        }
        return pid.getAsLong();
    }

    private JsonNode node(String name) {
        JsonNode node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("the cluster has no " + name + "; it has " + nodes.keySet());
        }
        return node;
    }
}
