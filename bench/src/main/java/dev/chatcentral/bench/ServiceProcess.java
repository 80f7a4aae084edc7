package dev.chatcentral.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * A service under test as its own process, from its exec jar, so the load generator's threads and garbage never
 * share its JVM. Its output goes to {@code bench/target/<name>.log}. It can be killed ({@code kill -9}) and started
 * again on the same port with the same settings, as a node restarted under load. It runs in the {@code dev} profile
 * (the development secrets), its management port (health, metrics, the ingest's admin API) one of its own, on the
 * {@link ServiceJvm} the environment names.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

    private final String name;
    private final ProcessBuilder builder;
    private final ServiceJvm jvm;
    private final int port;
    private final int managementPort;
    private final String managementToken;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Process process;

    private ServiceProcess(String name, ProcessBuilder builder, ServiceJvm jvm, int port, int managementPort,
                           String managementToken, Path log) throws IOException {
        this.name = name;
        this.builder = builder;
        this.jvm = jvm;
        this.port = port;
        this.managementPort = managementPort;
        this.managementToken = managementToken;
        this.log = log;
        this.process = builder.start();
    }

    /** The exec jar {@code module}'s build leaves, relative to the repository root. */
    public static Path execJar(String module) {
        return Path.of(module + "/target/" + module + "-0.1.0-SNAPSHOT-exec.jar");
    }

    /**
     * Starts {@code module}'s exec jar with the broker and database given, {@code heap} as -Xmx (and -Xms), and
     * {@code env} on top, then waits until its health is UP.
     */
    public static ServiceProcess start(String name, String module, String heap, TestKafka kafka,
                                       TestDatabase database, Map<String, String> env) throws Exception {
        return start(name, execJar(module), heap, kafka, database, env);
    }

    /** The same from a jar given by path, e.g. one built from another commit. */
    public static ServiceProcess start(String name, Path jar, String heap, TestKafka kafka, TestDatabase database,
                                       Map<String, String> env) throws Exception {
        return start(name, jar, heap, List.of(), kafka, database, env);
    }

    /** The same with JVM flags of the benchmark's own before those the {@link ServiceJvm} adds. */
    public static ServiceProcess start(String name, Path jar, String heap, List<String> jvmFlags, TestKafka kafka,
                                       TestDatabase database, Map<String, String> env) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -q -DskipTests package)");
        }
        int port = freePort();
        int managementPort = freePort();
        Path log = Path.of("bench/target/" + name + ".log");
        Files.createDirectories(log.getParent());
        ServiceJvm jvm = ServiceJvm.fromEnvironment();
        List<String> command = new ArrayList<>(List.of(jvm.java(), "-Xms" + heap, "-Xmx" + heap));
        command.addAll(jvmFlags);
        command.addAll(jvm.options());
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("SPRING_PROFILES_ACTIVE", "dev");
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        // Spring's own name for it, which jars built before the management port had a variable also read
        builder.environment().put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        builder.environment().put("DATABASE_URL", database.jdbcUrl());
        builder.environment().put("DATABASE_USER", database.user());
        builder.environment().put("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,info,prometheus,metrics");
        builder.environment().putAll(env);
        ServiceProcess service = new ServiceProcess(name, builder, jvm, port, managementPort,
                env.getOrDefault("ADMIN_API_TOKEN", DevelopmentSecrets.ADMIN_API_TOKEN), log);
        try {
            service.awaitHealthy();
        } catch (Exception e) {
            service.close();
            throw e;
        }
        return service;
    }

    public int port() {
        return port;
    }

    /** The port of the service's health, metrics and admin API, which {@link #get} calls with the token. */
    public int managementPort() {
        return managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Kills the process at once (SIGKILL on Linux, as {@code kill -9}) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * Starts the service again, after {@link #kill}, on the same port with the same settings, its output appended
     * to the same log; returns at once, without waiting for it to listen.
     */
    public void startAgain() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A full collection in the service (jcmd GC.run), then its heap in use, in bytes. */
    public long heapUsedAfterGc() throws Exception {
        Process jcmd = new ProcessBuilder(jvm.jcmd(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd GC.run failed for " + name);
        }
        Matcher value = HEAP_USED.matcher(get("/actuator/metrics/jvm.memory.used?tag=area:heap"));
        if (!value.find()) {
            throw new IllegalStateException("no heap figure from " + name);
        }
        return (long) Double.parseDouble(value.group(1));
    }

    /** The process's resident memory (VmRSS), in bytes. */
    public long residentBytes() throws IOException {
        return residentBytes(pid());
    }

    /** Any process's resident memory (VmRSS), in bytes. */
    public static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** A GET on the management port, with the management token. */
    public String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + path))
                .header("Authorization", "Bearer " + managementToken)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered " + response.statusCode() + " to " + path + ": "
                    + response.body());
        }
        return response.body();
    }

    /** Waits until the readiness probe answers 200 (at most 120 s). */
    public void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " did not become healthy; see " + log);
    }

    /** Deletes a directory a service wrote into (a Kafka Streams state directory), once the service stopped. */
    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    /** Asks a process to stop (SIGTERM, a clean shutdown), and kills it after 30 s if it has not. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
