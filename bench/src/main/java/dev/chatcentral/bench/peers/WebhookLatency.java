package dev.chatcentral.bench.peers;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.chatcentral.bench.KeepAlivePoster;
import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.bench.gateway.WebSocketClients;
import dev.chatcentral.bench.gateway.WebhookToWebSocketBenchmark;

/**
 * Webhook → WebSocket on a {@link WebhookPipeline}: customer mensagens posted open loop at a fixed rate over
 * keep-alive connections (as Evolution sends), one agent subscribed to the empresa; a mensagem's latency runs from
 * the moment its webhook was due to its {@code message_notification} being read. Each phase is measured from its
 * first webhook with nothing excluded, so the first phase after a start shows the tail a user meets after a deploy.
 */
final class WebhookLatency implements AutoCloseable {

    private static final String EMPRESA = "emp-side";
    private static final String INSTANCE = "bench-side";
    /** Keep-alive connections the webhooks are posted over, as Evolution's sender keeps a few. */
    private static final int CONNECTIONS = 16;

    /** One phase's figures: every latency (µs), and the p99 (ms) of the mensagens due in each second. */
    record Phase(String system, int rate, long sent, int received, long non200, long[] micros, double[] p99BySecond) {

        double percentileMillis(double p) {
            return Stats.percentileMillis(micros, p);
        }

        /** The p99 over the mensagens due in the first {@code seconds}. */
        double p99FirstSeconds(int seconds) {
            return Arrays.stream(p99BySecond, 0, Math.min(seconds, p99BySecond.length)).max().orElse(Double.NaN);
        }
    }

    private record Due(Latencies latencies, Map<Long, Latencies> bySecond, long startMicros, long dueMicros) {
    }

    private final WebhookPipeline pipeline;
    private final Map<String, Due> due = new ConcurrentHashMap<>();
    private final SubscribedClients clients;
    private final KeepAlivePoster poster;
    private long next;

    /** Creates the empresa and subscribes its agent; call right after the pipeline reported ready. */
    WebhookLatency(WebhookPipeline pipeline) throws Exception {
        this.pipeline = pipeline;
        String secret = pipeline.createEmpresa(EMPRESA, INSTANCE);
        this.clients = new SubscribedClients((connection, frame, receivedMicros) -> {
            if ("message_notification".equals(frame.path("type").asString())) {
                Due sample = due.remove(frame.path("data").path("mensagem").path("keyId").asString());
                if (sample != null) {
                    long latency = receivedMicros - sample.dueMicros();
                    sample.latencies().record(latency);
                    sample.bySecond().computeIfAbsent((sample.dueMicros() - sample.startMicros()) / 1_000_000,
                            s -> new Latencies()).record(latency);
                }
            }
        });
        SubscribedClients.Opened opened = clients.openAll(1, 1, i -> pipeline.subscriber("u-side", EMPRESA, null));
        if (opened.failed() > 0) {
            throw new IllegalStateException(pipeline.name() + " refused the subscriber: " + opened.failures());
        }
        this.poster = new KeepAlivePoster(pipeline.webhooks(), "/webhooks/evolution/" + EMPRESA,
                Map.of("Authorization", "Bearer " + secret), CONNECTIONS);
    }

    /** Posts {@code rate} webhooks/s for {@code seconds}, then waits (at most a minute) for their notifications. */
    Phase run(int rate, int seconds) throws InterruptedException {
        Latencies latencies = new Latencies();
        Map<Long, Latencies> bySecond = new ConcurrentSkipListMap<>();
        long failedBefore = failures();
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long startMicros = WebSocketClients.nowMicros();
        OpenLoop schedule = new OpenLoop(start, rate);
        for (long i = 0; i < total; i++) {
            long dueNanos = schedule.awaitDue(i);
            String keyId = "3B" + String.format("%018X", next);
            due.put(keyId, new Due(latencies, bySecond, startMicros, startMicros + (dueNanos - start) / 1000));
            poster.post(WebhookToWebSocketBenchmark.upsert(next++, keyId, INSTANCE));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (latencies.count() < total - (failures() - failedBefore) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double[] p99BySecond = new double[seconds];
        for (int s = 0; s < seconds; s++) {
            Latencies inSecond = bySecond.get((long) s);
            p99BySecond[s] = inSecond == null ? Double.NaN : inSecond.percentileMillis(99);
        }
        due.clear();
        return new Phase(pipeline.name(), rate, total, latencies.count(), failures() - failedBefore,
                latencies.snapshot(), p99BySecond);
    }

    private long failures() {
        return poster.failures().values().stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public void close() {
        poster.close();
        clients.close();
    }
}
