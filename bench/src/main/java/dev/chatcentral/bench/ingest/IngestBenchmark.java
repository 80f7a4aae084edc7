package dev.chatcentral.bench.ingest;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.chatcentral.bench.ServiceProcess;
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
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess ingest = ServiceProcess.start("ingest-bench", "ingest", "512m", kafka, database, Map.of(
                     "ADMIN_API_TOKEN", ADMIN_TOKEN,
                     // the benchmark measures the ingest, not the per-empresa admission limit
                     "INGEST_RATE_LIMIT_PER_EMPRESA", "1000000"))) {
            String base = "http://127.0.0.1:" + ingest.port();
            String secret = IngestAdmin.createEmpresa(ingest, ADMIN_TOKEN, "emp-bench", "bench-01");
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
        }
        System.exit(0);
    }

    /** A customer's text message to instance bench-01, distinct by {@code i} (its key id), over 5,000 chats. */
    static String upsert(long i) {
        return "{\"event\":\"messages.upsert\",\"instance\":\"bench-01\",\"data\":{\"key\":{\"remoteJid\":\"55119"
                + (10000000 + i % 5000) + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"3B" + String.format("%018X", i)
                + "\"},\"pushName\":\"Cliente\",\"message\":{\"conversation\":\"Oi, vocês entregam hoje?\"},"
                + "\"messageType\":\"conversation\",\"messageTimestamp\":1761057639},"
                + "\"date_time\":\"2025-10-21T14:40:39.512Z\",\"sender\":\"5511999990000@s.whatsapp.net\","
                + "\"server_url\":\"http://localhost:8090\",\"apikey\":\"B6D711FCDE4D\"}";
    }
}
