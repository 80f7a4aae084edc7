package dev.chatcentral.bench.processor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;

/**
 * Webhook-to-PostgreSQL lag: webhooks are written to {@code chat.webhooks} at a steady rate and each one's lag is
 * the time from the write until its mensagem row is visible to another connection, which polls every 10 ms (the
 * poll interval bounds the error). The row's {@code received_at} is the record's timestamp, i.e. the send time.
 * Only webhooks sent after the warm-up count: the processor starts cold, and for its first 10 s or so the JIT
 * compiling its code stretches the lag to seconds (printed per 5 s window, so such a tail shows where it is).
 *
 * <p>Arguments: {@code [webhooks per second=1000] [seconds=30] [warm-up seconds=20]}.
 */
public final class SinkLatencyBenchmark {

    private static final long POLL_MILLIS = 10;
    private static final long TICK_MILLIS = 10;
    private static final long WINDOW_MILLIS = 5_000;

    private SinkLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (BenchStack stack = BenchStack.start()) {
            stack.startProcessor();
            try (Connection c = stack.database().connect(); Statement s = c.createStatement()) {
                // for the poller only: find rows by the time they were sent without scanning the table
                s.execute("CREATE INDEX bench_mensagem_received_at ON mensagem (received_at)");
            }
            run(stack, rate, seconds, warmup);
        }
        System.exit(0);
    }

    private static void run(BenchStack stack, int rate, int seconds, int warmup) throws Exception {
        Map<String, Long> pending = new ConcurrentHashMap<>();
        Map<String, Boolean> measured = new ConcurrentHashMap<>();
        List<Long> lags = new ArrayList<>();
        Map<Long, List<Long>> lagsByWindow = new TreeMap<>();
        AtomicLong sent = new AtomicLong();
        long total = (long) rate * (seconds + warmup);
        long perTick = Math.max(1, rate * TICK_MILLIS / 1000);
        long warmupEnd = System.currentTimeMillis() + warmup * 1000L;

        // the topology's part of the lag: the mensagem committed to chat.mensagens (it keeps the webhook's timestamp)
        List<Long> topologyLags = Collections.synchronizedList(new ArrayList<>());
        AssignedReader<String, byte[]> reader = stack.committedReader(Topics.MENSAGENS, record -> {
            if (record.timestamp() >= warmupEnd) {
                topologyLags.add(System.currentTimeMillis() - record.timestamp());
            }
        });
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, byte[]> producer = stack.producer(0);
             Connection db = stack.database().connect();
             PreparedStatement visible = db.prepareStatement(
                     "SELECT key_id FROM mensagem WHERE received_at >= ?")) {
            sender.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick && sent.get() < total; i++) {
                    long n = sent.getAndIncrement();
                    String keyId = "LAT-" + n;
                    long now = System.currentTimeMillis();
                    pending.put(keyId, now);
                    if (now >= warmupEnd) {
                        measured.put(keyId, true);
                    }
                    producer.send(new ProducerRecord<>(Topics.WEBHOOKS.name(), null, now, BenchStack.empresa(n),
                            BenchStack.webhook("LAT-", n)));
                }
            }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);

            long deadline = System.currentTimeMillis() + (seconds + warmup + 30) * 1000L;
            while ((sent.get() < total || !pending.isEmpty()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(POLL_MILLIS);
                long oldest = pending.values().stream().mapToLong(Long::longValue).min()
                        .orElse(System.currentTimeMillis());
                visible.setTimestamp(1, new Timestamp(oldest));
                try (ResultSet rs = visible.executeQuery()) {
                    long seen = System.currentTimeMillis();
                    while (rs.next()) {
                        String keyId = rs.getString(1);
                        Long sentAt = pending.remove(keyId);
                        if (sentAt != null && measured.containsKey(keyId)) {
                            lags.add(seen - sentAt);
                            lagsByWindow.computeIfAbsent((sentAt - warmupEnd) / WINDOW_MILLIS,
                                    w -> new ArrayList<>()).add(seen - sentAt);
                        }
                    }
                }
            }
        } finally {
            sender.shutdownNow();
            reader.stop();
        }
        List<Long> topology = new ArrayList<>(topologyLags);
        topology.sort(null);
        System.out.printf("webhook -> committed to chat.mensagens ms (%d): p50 %d, p90 %d, p99 %d, max %d%n",
                topology.size(), percentile(topology, 50), percentile(topology, 90), percentile(topology, 99),
                topology.get(topology.size() - 1));
        lags.sort(null);
        System.out.printf("%d webhooks/s for %d s (+%d s warm-up): %d measured, %d never seen%n", rate, seconds,
                warmup, lags.size(), pending.size());
        System.out.printf("webhook -> mensagem row lag ms: p50 %d, p90 %d, p99 %d, max %d%n",
                percentile(lags, 50), percentile(lags, 90), percentile(lags, 99), lags.get(lags.size() - 1));
        // where the tail is: a steady one, or a few stalls
        lagsByWindow.forEach((window, windowLags) -> {
            windowLags.sort(null);
            System.out.printf("  sent %3d-%3d s: p50 %d, p99 %d, max %d%n", window * WINDOW_MILLIS / 1000,
                    (window + 1) * WINDOW_MILLIS / 1000, percentile(windowLags, 50), percentile(windowLags, 99),
                    windowLags.get(windowLags.size() - 1));
        });
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
