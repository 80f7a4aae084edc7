package dev.chatcentral.bench.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import dev.chatcentral.bench.KeepAlivePoster;
import dev.chatcentral.bench.KeepAlivePoster.Kind;
import dev.chatcentral.bench.KeepAlivePoster.Outcome;
import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.bench.ServiceProcess;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * An ingest node killed ({@code kill -9}) and started again at once under a steady webhook load (issue 18). The
 * ingest runs as its own process from an exec jar against a real KRaft broker and a throwaway PostgreSQL database
 * with one empresa; this process posts {@code messages.upsert} webhooks at a fixed rate, open loop, as Evolution
 * sends them (concurrently over keep-alive connections, {@link KeepAlivePoster}): a quarter of the rate for
 * {@value #WARMUP_SECONDS} s (the first start is cold too), then the rate. After {@value #STEADY_SECONDS} s at the
 * rate it kills the ingest and starts it again on the same port; the load goes on, and what is due while nothing
 * listens is refused. From the moment the new process accepts a connection, for the seconds given, it counts what the
 * webhooks due then got: 200, 503, another status, no answer (the connection closed or 30 s passed), refused; and
 * the latency of the 200s from their due time (so a stall is not hidden by the sender waiting). Each run starts on
 * a fresh broker and database. Prints a Markdown row per run, then the medians per jar.
 *
 * <pre>bench/ingest-restart.sh [webhooks per second, default 150] [seconds measured after the restart, default 30]
 *     [runs per jar, default 3]</pre>
 *
 * <p>{@code INGEST_JAR}: the ingest's exec jar (default {@code ingest/target/ingest-0.1.0-SNAPSHOT-exec.jar}), or
 * several as {@code label=path} separated by commas, run in turn (A B A B ...), e.g. a build of an older commit
 * beside the current one.
 */
public final class IngestRestartBenchmark {

    private static final String ADMIN_TOKEN = "bench-admin-token";
    private static final int WARMUP_SECONDS = 15;
    private static final int STEADY_SECONDS = 20;
    /**
     * Evolution's sender has no limit of its own; this one only guards the machine. {@code SENDER_MAX_CONNECTIONS}
     * sets another, e.g. a few, to see what a sender that queues instead of opening connections would get.
     */
    private static final int MAX_CONNECTIONS = Integer.parseInt(
            System.getenv().getOrDefault("SENDER_MAX_CONNECTIONS", "4000"));
    private static final long SECOND = 1_000_000_000L;
    private static final long WINDOW_NANOS = 5 * SECOND;

    private IngestRestartBenchmark() {
    }

    private record Jar(String label, Path path) {
    }

    /** One restart: the figures of the webhooks due in the measured seconds after the new process listened. */
    private record Run(String jar, int number, double load, double steadyOkPercent, double steadyP99,
                       double toListeningS, double toFirst200S, long due, long ok, long unavailable, long otherStatus,
                       long unanswered, long refused, double p50, double p99, double max) {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Jar> jars = jars(System.getenv().getOrDefault("INGEST_JAR", ServiceProcess.execJar("ingest").toString()));
        List<Run> done = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (Jar jar : jars) {
                done.add(restart(jar, run, rate, seconds));
            }
        }
        System.out.printf(Locale.ROOT, "%n%d webhooks/s, %d s measured from the restarted ingest's first accepted "
                + "connection, %s%n%n", rate, seconds, LocalDate.now());
        System.out.println("| jar | run | load | 200 before the kill (%) | p99 before the kill (ms) "
                + "| kill → listening (s) | kill → first 200 (s) | due | 200 | 503 | other non-200 | unanswered "
                + "| refused | p50 (ms) | p99 (ms) | max (ms) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        done.forEach(r -> System.out.println(row(r.jar(), Integer.toString(r.number()), r.load(),
                r.steadyOkPercent(), r.steadyP99(), r.toListeningS(), r.toFirst200S(), r.due(), r.ok(),
                r.unavailable(), r.otherStatus(), r.unanswered(), r.refused(), r.p50(), r.p99(), r.max())));
        for (Jar jar : jars) {
            List<Run> of = done.stream().filter(r -> r.jar().equals(jar.label())).toList();
            System.out.println(row(jar.label(), "median", median(of, Run::load), median(of, Run::steadyOkPercent),
                    median(of, Run::steadyP99), median(of, Run::toListeningS), median(of, Run::toFirst200S),
                    (long) median(of, Run::due), (long) median(of, Run::ok), (long) median(of, Run::unavailable),
                    (long) median(of, Run::otherStatus), (long) median(of, Run::unanswered),
                    (long) median(of, Run::refused), median(of, Run::p50), median(of, Run::p99),
                    median(of, Run::max)));
        }
        System.exit(0);
    }

    /** Kills the ingest under load, starts it again, and measures what the webhooks got after it listened. */
    private static Run restart(Jar jar, int number, int rate, int seconds) throws Exception {
        double load = loadAverage();
        System.out.printf(Locale.ROOT, "== %s, run %d: load %.2f%n", jar.label(), number, load);
        Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        try (TestKafka kafka = TestKafka.start(); TestDatabase database = TestDatabase.create();
             ServiceProcess ingest = ServiceProcess.start("ingest-restart", jar.path(), "512m", kafka, database,
                     Map.of("ADMIN_API_TOKEN", ADMIN_TOKEN,
                             // the benchmark measures the restart, not the per-empresa admission limit
                             "INGEST_RATE_LIMIT_PER_EMPRESA", "1000000"))) {
            String secret = IngestAdmin.createEmpresa(ingest, ADMIN_TOKEN, "emp-bench",
                    "bench-01");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", ingest.port());
            try (KeepAlivePoster poster = new KeepAlivePoster(address, "/webhooks/evolution/emp-bench",
                    Map.of("Authorization", "Bearer " + secret), MAX_CONNECTIONS, outcomes::add)) {
                AtomicBoolean sending = new AtomicBoolean(true);
                AtomicLong posted = new AtomicLong();
                Thread sender = new Thread(() -> {
                    int warmRate = Math.max(1, rate / 4);
                    OpenLoop warm = new OpenLoop(System.nanoTime(), warmRate);
                    for (long i = 0; i < (long) warmRate * WARMUP_SECONDS; i++) {
                        poster.post(IngestBenchmark.upsert(posted.getAndIncrement()), warm.awaitDue(i));
                    }
                    OpenLoop schedule = new OpenLoop(System.nanoTime(), rate);
                    for (long i = 0; sending.get(); i++) {
                        poster.post(IngestBenchmark.upsert(posted.getAndIncrement()), schedule.awaitDue(i));
                    }
                }, "sender");
                sender.start();
                Thread.sleep((WARMUP_SECONDS + STEADY_SECONDS) * 1000L);
                long killed = System.nanoTime();
                ingest.kill();
                ingest.startAgain();
                long listening = awaitListening(ingest, address);
                long end = listening + seconds * SECOND;
                Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
                sending.set(false);
                sender.join();
                // every request gets an outcome within 30 s of being written (no answer counts as one)
                long drain = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (outcomes.size() < posted.get() && System.nanoTime() < drain) {
                    Thread.sleep(100);
                }
                Run run = measure(jar.label(), number, load, outcomes, killed, listening, end);
                System.out.printf(Locale.ROOT, "peak connections %d; %d of %d requests without an outcome%n",
                        poster.peakConnections(), posted.get() - outcomes.size(), posted.get());
                return run;
            }
        }
    }

    /** Counts the outcomes of the webhooks due in [listening, end), and prints the detail behind them. */
    private static Run measure(String jar, int number, double load, Queue<Outcome> outcomes, long killed,
                               long listening, long end) {
        Latencies ok = new Latencies();
        Latencies steady = new Latencies();
        Map<String, Long> others = new TreeMap<>();
        Map<String, Long> before = new TreeMap<>();
        Map<String, Long> gap = new TreeMap<>();
        Map<Long, long[]> windows = new TreeMap<>();
        Map<Long, Latencies> windowLatencies = new TreeMap<>();
        long due = 0;
        long unavailable = 0;
        long otherStatus = 0;
        long unanswered = 0;
        long refused = 0;
        long first200 = Long.MAX_VALUE;
        for (Outcome o : outcomes) {
            String what = o.kind() == Kind.ANSWERED ? o.status() + errorCode(o.reason())
                    : o.kind().name().toLowerCase(Locale.ROOT);
            if (o.kind() == Kind.ANSWERED && o.status() == 200 && o.doneNanos() > listening) {
                first200 = Math.min(first200, o.doneNanos());
            }
            if (o.dueNanos() >= killed - 10 * SECOND && o.dueNanos() < killed) {
                before.merge(what, 1L, Long::sum);
                if (o.kind() == Kind.ANSWERED && o.status() == 200) {
                    steady.record((o.doneNanos() - o.dueNanos()) / 1000);
                }
            } else if (o.dueNanos() >= killed && o.dueNanos() < listening) {
                gap.merge(what, 1L, Long::sum);
            } else if (o.dueNanos() >= listening && o.dueNanos() < end) {
                due++;
                long window = (o.dueNanos() - listening) / WINDOW_NANOS;
                long[] counts = windows.computeIfAbsent(window, w -> new long[2]);
                counts[0]++;
                if (o.kind() == Kind.REFUSED) {
                    refused++;
                } else if (o.kind() == Kind.UNANSWERED) {
                    unanswered++;
                    others.merge("unanswered: " + o.reason(), 1L, Long::sum);
                } else if (o.status() == 200) {
                    long micros = (o.doneNanos() - o.dueNanos()) / 1000;
                    ok.record(micros);
                    windowLatencies.computeIfAbsent(window, w -> new Latencies()).record(micros);
                } else if (o.status() == 503) {
                    unavailable++;
                    counts[1]++;
                    others.merge(what, 1L, Long::sum);
                } else {
                    otherStatus++;
                    others.merge(what, 1L, Long::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "due in the 10 s before the kill: %s, 200 p50 %.2f ms, p99 %.2f ms%n", before,
                steady.percentileMillis(50), steady.percentileMillis(99));
        System.out.printf(Locale.ROOT, "kill → listening %.2f s; due while nothing listened: %s%n",
                (listening - killed) / 1e9, gap);
        windows.forEach((window, counts) -> {
            Latencies in = windowLatencies.getOrDefault(window, new Latencies());
            System.out.printf(Locale.ROOT, "  due %d-%d s after listening: %d, 503 %d, 200 p50 %.2f ms, p99 %.2f ms%n",
                    window * 5, window * 5 + 5, counts[0], counts[1], in.percentileMillis(50),
                    in.percentileMillis(99));
        });
        others.forEach((what, count) -> System.out.println("  " + count + "x " + what));
        long steadyDue = before.values().stream().mapToLong(Long::longValue).sum();
        return new Run(jar, number, load, 100.0 * steady.count() / Math.max(1, steadyDue), steady.percentileMillis(99),
                (listening - killed) / 1e9,
                first200 == Long.MAX_VALUE ? Double.NaN : (first200 - killed) / 1e9, due, ok.count(), unavailable,
                otherStatus, unanswered, refused, ok.percentileMillis(50), ok.percentileMillis(99),
                ok.percentileMillis(100));
    }

    /** The moment the restarted process first accepts a connection. */
    private static long awaitListening(ServiceProcess ingest, InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(address, 1000);
                return System.nanoTime();
            } catch (IOException e) {
                if (!ingest.isAlive()) {
                    throw new IllegalStateException("the restarted ingest exited; see " + ingest.log(), e);
                }
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("the restarted ingest did not listen; see " + ingest.log());
    }

    /** The ingest's error code in an answer's body ({@code "error":"unavailable"}), as " unavailable", or "". */
    private static String errorCode(String body) {
        int at = body == null ? -1 : body.indexOf("\"error\":\"");
        return at < 0 ? "" : " " + body.substring(at + 9, Math.max(at + 9, body.indexOf('"', at + 9)));
    }

    private static List<Jar> jars(String spec) {
        List<Jar> jars = new ArrayList<>();
        for (String entry : spec.split(",")) {
            int equals = entry.indexOf('=');
            Path path = Path.of(entry.substring(equals + 1).trim());
            if (!Files.exists(path)) {
                throw new IllegalStateException(path + " is missing: build it first");
            }
            jars.add(new Jar(equals < 0 ? path.toString() : entry.substring(0, equals).trim(), path));
        }
        return jars;
    }

    /** The 1-minute load average, as uptime prints it. */
    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static String row(String jar, String run, double load, double steadyOkPercent, double steadyP99,
                              double toListening, double toFirst200, long due, long ok, long unavailable,
                              long otherStatus, long unanswered, long refused, double p50, double p99, double max) {
        return String.format(Locale.ROOT, "| %s | %s | %.2f | %.1f | %.2f | %.2f | %.2f | %,d | %,d | %,d | %,d | %,d "
                        + "| %,d | %.2f | %.2f | %.2f |", jar, run, load, steadyOkPercent, steadyP99, toListening,
                toFirst200, due, ok, unavailable, otherStatus, unanswered, refused, p50, p99, max);
    }
}
