package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.bench.ingest.IngestAdmin;
import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Webhook to WebSocket, end to end (issue 6: 1,000 msg/s, p50 at most 50 ms, p99 at most 150 ms). The ingest, the
 * stream-processor and the gateway run as their own processes (exec jars) against one broker and one database, as
 * deployed. This process posts Evolution {@code messages.upsert} webhooks at a fixed rate (open loop, as Evolution
 * would) and, as agents subscribed to the empresa's channel, measures for every mensagem the time from its webhook
 * being due to its {@code message_notification} being read. Prints one Markdown row.
 *
 * <pre>bench/webhook-to-websocket.sh [webhooks per second, default 1000] [seconds measured, default 30]
 *     [subscribers, default 1]</pre>
 */
public final class WebhookToWebSocketBenchmark {

    private static final String ADMIN_TOKEN = "bench-admin-token";
    private static final String EMPRESA = "emp-e2e";

    private WebhookToWebSocketBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int warmupSeconds = 10;
        Map<String, Long> due = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        Map<String, Integer> non200 = new ConcurrentHashMap<>();
        Path stateDir = Files.createTempDirectory("bench-e2e-state");
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess ingest = ServiceProcess.start("e2e-ingest", "ingest", "512m", kafka, database, Map.of(
                     "ADMIN_API_TOKEN", ADMIN_TOKEN,
                     // the benchmark measures the pipeline, not the per-empresa admission limit
                     "INGEST_RATE_LIMIT_PER_EMPRESA", "1000000"));
             ServiceProcess processor = ServiceProcess.start("e2e-processor", "stream-processor", "1g", kafka,
                     database, Map.of("STREAMS_STATE_DIR", stateDir.toString()));
             ServiceProcess gateway = ServiceProcess.start("e2e-gateway", "gateway", "1g", kafka, database, Map.of());
             SubscribedClients clients = new SubscribedClients((connection, frame, receivedMicros) -> {
                 if ("message_notification".equals(frame.path("type").asString())) {
                     Long sent = due.get(frame.path("data").path("mensagem").path("keyId").asString());
                     if (sent != null) {
                         latencies.record(receivedMicros - sent);
                     }
                 }
             })) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(2)).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + ingest.port();
            String secret = IngestAdmin.createEmpresa(base, ADMIN_TOKEN, EMPRESA, "bench-01");
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", gateway.port());
            InetAddress local = InetAddress.getByName("127.0.0.2");
            SubscribedClients.Opened opened = clients.openAll(subscribers, 50, i -> new SubscribedClients.Plan(
                    server, local, AgentTokens.atendente("u-" + i, EMPRESA), List.of(Channel.empresa(EMPRESA)),
                    null));
            URI webhook = URI.create(base + "/webhooks/evolution/" + EMPRESA);
            long total = (long) rate * (warmupSeconds + seconds);
            long measuredFrom = (long) rate * warmupSeconds;
            long start = System.nanoTime();
            OpenLoop schedule = new OpenLoop(start, rate);
            long startMicros = WebSocketClients.nowMicros();
            for (long i = 0; i < total; i++) {
                long dueNanos = schedule.awaitDue(i);
                String keyId = "3B" + String.format("%018X", i);
                if (i >= measuredFrom) {
                    due.put(keyId, startMicros + (dueNanos - start) / 1000);
                }
                http.sendAsync(HttpRequest.newBuilder(webhook)
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + secret)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(upsert(i, keyId))).build(),
                        HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> {
                            if (error != null) {
                                Throwable cause = error.getCause() == null ? error : error.getCause();
                                non200.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
                            } else if (response.statusCode() != 200) {
                                non200.merge(Integer.toString(response.statusCode()), 1, Integer::sum);
                            }
                        });
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            long expected = (total - measuredFrom) * opened.subscribed().size();
            // a pipeline that fell behind still delivers: wait for it (bounded), so its latency shows as such
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (latencies.count() < expected && System.nanoTime() < drainDeadline) {
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "| webhooks/s (achieved) | subscribers | notifications expected "
                    + "| received | p50 (ms) | p99 (ms) | max (ms) | non-200 | date |%n"
                    + "|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %d (%.0f) | %d | %d | %d | %.2f | %.2f | %.2f | %d | %s |%n",
                    rate, achieved, opened.subscribed().size(), expected, latencies.count(),
                    latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.percentileMillis(100),
                    non200.values().stream().mapToInt(Integer::intValue).sum(), LocalDate.now());
            non200.forEach((reason, count) -> System.out.println("not 200: " + count + "x " + reason));
            opened.failures().forEach((reason, count) -> System.out.println("failed " + count + "x: " + reason));
            clients.closeCodes().forEach((code, count) -> System.out.println("closed " + count + "x with " + code));
        } finally {
            ServiceProcess.deleteTree(stateDir);
        }
        System.exit(0);
    }

    /** A customer's text message, spread over 500 conversas. */
    private static String upsert(long i, String keyId) {
        return "{\"event\":\"messages.upsert\",\"instance\":\"bench-01\",\"data\":{\"key\":{\"remoteJid\":\"55119"
                + (10000000 + i % 500) + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + keyId + "\"},"
                + "\"pushName\":\"Cliente\",\"message\":{\"conversation\":\"Oi, vocês entregam hoje?\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (System.currentTimeMillis() / 1000)
                + "},\"date_time\":\"2026-11-26T10:00:00.000Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"http://localhost:8090\",\"apikey\":\"B6D711FCDE4D\"}";
    }
}
