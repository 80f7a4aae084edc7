package dev.chatcentral.bench.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.chatcentral.bench.CommittedReader;
import dev.chatcentral.bench.KeepAlivePoster;
import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.bench.ingest.IngestAdmin;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
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
 *     [subscribers, default one per empresa] [empresas, default 1] [warm-up seconds, default 60]</pre>
 *
 * <p>With several empresas, webhook {@code i} is empresa {@code i % empresas}'s and subscriber {@code j} watches
 * empresa {@code j % empresas}: a deployment's load spread over tenants, hence over partitions and stream threads.
 */
public final class WebhookToWebSocketBenchmark {

    private static final String ADMIN_TOKEN = "bench-admin-token";
    private static final String EMPRESA_PREFIX = "emp-e2e-";
    /** Keep-alive connections the webhooks are posted over, as Evolution's sender keeps a few. */
    private static final int CONNECTIONS = 16;
    private static final long WINDOW_MICROS = 1_000_000;
    private static final long FIRST_SECONDS_MICROS = 5_000_000;

    private WebhookToWebSocketBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int empresas = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : empresas;
        if (subscribers % empresas != 0) {
            throw new IllegalArgumentException("subscribers must be a multiple of empresas");
        }
        int warmupSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        Map<String, Long> due = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        Latencies ingestShare = new Latencies();
        AtomicLong notifications = new AtomicLong();
        // by when the webhook was due, so a tail shows whether it is steady or a few stalls
        Map<Long, Latencies> windows = new ConcurrentSkipListMap<>();
        Latencies afterIngest = new Latencies();
        // the first seconds after the stack reports ready, what a user meets after every deploy
        Latencies firstSeconds = new Latencies();
        AtomicLong measuredFromMicros = new AtomicLong(Long.MAX_VALUE);
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
                     notifications.incrementAndGet();
                     Long sent = due.get(frame.path("data").path("mensagem").path("keyId").asString());
                     if (sent != null) {
                         latencies.record(receivedMicros - sent);
                         windows.computeIfAbsent(sent / WINDOW_MICROS, w -> new Latencies())
                                 .record(receivedMicros - sent);
                         if (sent - measuredFromMicros.get() < FIRST_SECONDS_MICROS) {
                             firstSeconds.record(receivedMicros - sent);
                         }
                         // ts is when the ingest wrote the webhook to Kafka (the record's timestamp)
                         Instant ts = Instant.parse(frame.path("ts").asString());
                         long tsMicros = ts.getEpochSecond() * 1_000_000 + ts.getNano() / 1_000;
                         ingestShare.record(tsMicros - sent);
                         afterIngest.record(receivedMicros - tsMicros);
                     }
                 }
             })) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", gateway.port());
            InetAddress local = InetAddress.getByName("127.0.0.2");
            SubscribedClients.Opened opened = clients.openAll(subscribers, 50, i -> new SubscribedClients.Plan(
                    server, local, AgentTokens.atendente("u-" + i, empresa(i % empresas)),
                    List.of(Channel.empresa(empresa(i % empresas))),
                    null));
            // each empresa its own Evolution instance and webhook secret, posting over its own connections
            List<KeepAlivePoster> posters = new ArrayList<>();
            for (int e = 0; e < empresas; e++) {
                String secret = IngestAdmin.createEmpresa(ingest, ADMIN_TOKEN, empresa(e), "bench-" + e);
                posters.add(new KeepAlivePoster(new InetSocketAddress("127.0.0.1", ingest.port()),
                        "/webhooks/evolution/" + empresa(e), Map.of("Authorization", "Bearer " + secret),
                        Math.max(2, CONNECTIONS / empresas)));
            }
            Webhooks webhooks = new Webhooks(posters);
            // the processor's part: a message_notification readable read_committed in chat.events, read here
            Latencies committed = new Latencies();
            AssignedReader<String, byte[]> reader = CommittedReader.start(kafka.bootstrapServers(), Topics.EVENTS,
                    AssignedReader.Start.END, record -> recordCommitted(record, due, committed));
            // Warm-up: the three services start cold, and on two cores their JITs take a minute; whatever queue
            // builds meanwhile is delivered before the measured phase starts on an idle, warm pipeline.
            send(webhooks, rate, 0, (long) rate * warmupSeconds, null, latencies);
            long warmupNotifications = (long) rate * warmupSeconds * opened.subscribed().size() / empresas;
            long drainWarmup = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (notifications.get() < warmupNotifications && System.nanoTime() < drainWarmup) {
                Thread.sleep(200);
            }
            Thread.sleep(3_000);
            long total = (long) rate * seconds;
            long start = System.nanoTime();
            measuredFromMicros.set(WebSocketClients.nowMicros());
            send(webhooks, rate, (long) rate * warmupSeconds, total, due, latencies);
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            long expected = total * opened.subscribed().size() / empresas;
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
                    webhooks.failures().values().stream().mapToInt(Integer::intValue).sum(), LocalDate.now());
            reader.stop();
            windows.forEach((window, inWindow) -> System.out.printf(Locale.ROOT,
                    "  due in window %d (1 s): %d, p50 %.2f ms, p99 %.2f ms%n", window, inWindow.count(),
                    inWindow.percentileMillis(50), inWindow.percentileMillis(99)));
            System.out.printf(Locale.ROOT, "first 5 s measured: p50 %.2f ms, p99 %.2f ms (%d)%n",
                    firstSeconds.percentileMillis(50), firstSeconds.percentileMillis(99), firstSeconds.count());
            // one line for scripts comparing runs: a start's tail shows as its first seconds
            System.out.println("p99-by-second-ms: " + windows.values().stream()
                    .map(inWindow -> String.format(Locale.ROOT, "%.1f", inWindow.percentileMillis(99)))
                    .collect(Collectors.joining(",")));
            System.out.printf(Locale.ROOT, "written -> committed in chat.events (read here): p50 %.2f ms, p99 %.2f ms "
                    + "(%d)%n", committed.percentileMillis(50), committed.percentileMillis(99), committed.count());
            System.out.printf(Locale.ROOT, "due -> written to Kafka by the ingest: p50 %.2f ms, p99 %.2f ms; "
                    + "written -> read on the WebSocket: p50 %.2f ms, p99 %.2f ms%n", ingestShare.percentileMillis(50),
                    ingestShare.percentileMillis(99), afterIngest.percentileMillis(50),
                    afterIngest.percentileMillis(99));
            webhooks.failures().forEach((reason, count) -> System.out.println("not 200: " + count + "x " + reason));
            webhooks.close();
            opened.failures().forEach((reason, count) -> System.out.println("failed " + count + "x: " + reason));
            clients.closeCodes().forEach((code, count) -> System.out.println("closed " + count + "x with " + code));
        } finally {
            ServiceProcess.deleteTree(stateDir);
        }
        System.exit(0);
    }

    /**
     * Posts webhooks {@code first} to {@code first + count - 1} at {@code rate} per second, open loop.
     *
     * @param due where each one's due time is kept by keyId, for the latency of its notification; null for none
     */
    private static void send(Webhooks webhooks, int rate, long first, long count, Map<String, Long> due,
                             Latencies latencies) {
        long start = System.nanoTime();
        OpenLoop schedule = new OpenLoop(start, rate);
        long startMicros = WebSocketClients.nowMicros();
        for (long i = 0; i < count; i++) {
            long dueNanos = schedule.awaitDue(i);
            String keyId = "3B" + String.format("%018X", first + i);
            if (due != null) {
                due.put(keyId, startMicros + (dueNanos - start) / 1000);
            }
            webhooks.post(first + i, keyId);
            if (i > 0 && i % (rate * 5L) == 0) {
                System.out.printf("%s %d s: %d webhooks queued, %d answered, %d notifications measured%n",
                        due == null ? "warm-up" : "measured", i / rate, webhooks.queued(), webhooks.answered(),
                        latencies.count());
            }
        }
    }

    /** Records, for a measured mensagem's notification, the time from its record timestamp to reading it. */
    private static void recordCommitted(ConsumerRecord<String, byte[]> record, Map<String, Long> due,
                                        Latencies committed) {
        long readMicros = WebSocketClients.nowMicros();
        var event = Topics.EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if ("message_notification".equals(event.type())
                && due.containsKey(event.data().path("mensagem").path("keyId").asString())) {
            committed.record(readMicros - record.timestamp() * 1000);
        }
    }

    private static String empresa(int index) {
        return EMPRESA_PREFIX + index;
    }

    /** Webhook {@code i} goes to empresa {@code i % empresas}, from that empresa's instance. */
    private record Webhooks(List<KeepAlivePoster> posters) {

        void post(long i, String keyId) {
            int empresa = (int) (i % posters.size());
            posters.get(empresa).post(upsert(i, keyId, "bench-" + empresa));
        }

        int queued() {
            return posters.stream().mapToInt(KeepAlivePoster::queued).sum();
        }

        long answered() {
            return posters.stream().mapToLong(KeepAlivePoster::answered).sum();
        }

        Map<String, Integer> failures() {
            Map<String, Integer> all = new TreeMap<>();
            posters.forEach(p -> p.failures().forEach((reason, n) -> all.merge(reason, n, Integer::sum)));
            return all;
        }

        void close() {
            posters.forEach(KeepAlivePoster::close);
        }
    }

    /** A customer's text message, spread over 500 conversas of the instance. */
    public static String upsert(long i, String keyId, String instance) {
        return "{\"event\":\"messages.upsert\",\"instance\":\"" + instance + "\",\"data\":{\"key\":{\"remoteJid\":\"55119"
                + (10000000 + i % 500) + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + keyId + "\"},"
                + "\"pushName\":\"Cliente\",\"message\":{\"conversation\":\"Oi, vocês entregam hoje?\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":" + (System.currentTimeMillis() / 1000)
                + "},\"date_time\":\"2026-11-26T10:00:00.000Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"http://localhost:8090\",\"apikey\":\"B6D711FCDE4D\"}";
    }
}
