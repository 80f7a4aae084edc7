package dev.chatcentral.bench.ingest;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Acknowledgement latency of the ingest (issue 3): the ingest runs as its own process (its exec jar) against a
 * real KRaft broker (acks=all) and PostgreSQL; this process is the load generator. For each rate it warms up,
 * then measures, and prints one Markdown table row: p50, p99, p99.9 of the time from a request being due to its
 * 200, and the failures. Run from the repository root after a build:
 *
 * <pre>bench/ingest.sh [rates, e.g. 2000,5000,10000] [seconds per rate]</pre>
 */
public final class IngestBenchmark {

    private static final String ADMIN_TOKEN = "bench-admin-token";

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new ArrayList<>();
        for (String rate : (args.length > 0 ? args[0] : "2000,5000,10000").split(",")) {
            rates.add(Integer.parseInt(rate.trim()));
        }
        Duration measure = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 30);
        Duration warmup = Duration.ofSeconds(10);
        Path jar = Path.of("ingest/target/ingest-0.1.0-SNAPSHOT-exec.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -q -DskipTests package)");
        }
        int port = freePort();
        Path log = Path.of("bench/target/ingest-bench.log");
        Files.createDirectories(log.getParent());
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create()) {
            ProcessBuilder builder = new ProcessBuilder("java", "-Xms512m", "-Xmx512m", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().put("SERVER_PORT", Integer.toString(port));
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            builder.environment().put("DATABASE_URL", database.jdbcUrl());
            builder.environment().put("DATABASE_USER", database.user());
            builder.environment().put("ADMIN_API_TOKEN", ADMIN_TOKEN);
            // the benchmark measures the ingest, not the per-empresa admission limit
            builder.environment().put("INGEST_RATE_LIMIT_PER_EMPRESA", "1000000");
            Process ingest = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitHealthy(base, ingest, log);
                String secret = IngestAdmin.createEmpresa(base, ADMIN_TOKEN, "emp-bench", "bench-01");
                OpenLoopLoad load = new OpenLoopLoad(URI.create(base + "/webhooks/evolution/emp-bench"),
                        "Bearer " + secret);
                System.out.printf(Locale.ROOT, "| rate (req/s) | sent | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) "
                        + "| non-200 | not sent (in-flight cap) | date |%n|---|---|---|---|---|---|---|---|---|%n");
                for (int rate : rates) {
                    load.run(rate, warmup, 4000, IngestBenchmark::upsert);
                    OpenLoopLoad.Result r = load.run(rate, measure, 4000, IngestBenchmark::upsert);
                    System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %d | %d | %s |%n",
                            rate, r.sent(), r.percentile(50) / 1000.0, r.percentile(99) / 1000.0,
                            r.percentile(99.9) / 1000.0, r.percentile(100) / 1000.0, r.failed(), r.saturated(),
                            LocalDate.now());
                }
            } finally {
                ingest.destroy();
                ingest.waitFor();
            }
        }
        System.exit(0);
    }

    private static void awaitHealthy(String base, Process ingest, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!ingest.isAlive()) {
                throw new IllegalStateException("the ingest exited; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the ingest did not become healthy; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String upsert(long i) {
        return "{\"event\":\"messages.upsert\",\"instance\":\"bench-01\",\"data\":{\"key\":{\"remoteJid\":\"55119"
                + (10000000 + i % 5000) + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"3B" + String.format("%018X", i)
                + "\"},\"pushName\":\"Cliente\",\"message\":{\"conversation\":\"Oi, vocês entregam hoje?\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":1761057639},"
                + "\"date_time\":\"2025-10-21T14:40:39.512Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"http://localhost:8090\",\"apikey\":\"B6D711FCDE4D\"}";
    }
}
