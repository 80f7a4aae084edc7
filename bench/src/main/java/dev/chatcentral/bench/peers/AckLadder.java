package dev.chatcentral.bench.peers;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.bench.gateway.WebhookToWebSocketBenchmark;
import dev.chatcentral.bench.ingest.OpenLoopLoad;

/**
 * The highest webhook rate a {@link WebhookPipeline} acknowledges with p99 at most {@value #ACK_P99_LIMIT_MS} ms:
 * rising open-loop steps, each warmed up then measured, until a step misses the limit, answers anything but 200 or
 * cannot be sent (the load's in-flight cap). The whole pipeline runs meanwhile, so its processing competes for the
 * CPU as it would; one agent subscribed to the empresa counts, after each step, whether every mensagem sent so far
 * reached it within {@value #KEPT_UP_SECONDS} s, which says whether the acknowledged rate was also processed.
 */
final class AckLadder {

    static final double ACK_P99_LIMIT_MS = 50;
    static final int[] RATES = {500, 1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 20000};
    private static final int KEPT_UP_SECONDS = 5;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURED = Duration.ofSeconds(7);
    private static final String EMPRESA = "emp-ack";
    private static final String INSTANCE = "bench-ack";

    /** One step: the acknowledgement percentiles, failures, and whether processing kept up so far. */
    record Step(int rate, long sent, double p50Ms, double p99Ms, long failed, long saturated, boolean keptUp) {

        boolean withinLimit() {
            return p99Ms <= ACK_P99_LIMIT_MS && failed == 0 && saturated == 0;
        }
    }

    /** A ladder's steps, up to and including the first that missed the limit. */
    record Run(String system, List<Step> steps) {

        /** The highest rate within the limit, 0 when even the first step missed it. */
        double sustained() {
            return steps.stream().filter(Step::withinLimit).mapToInt(Step::rate).max().orElse(0);
        }

        /** The highest rate within the limit at which every mensagem so far was also delivered. */
        double sustainedAndProcessed() {
            double highest = 0;
            for (Step step : steps) {
                if (!step.withinLimit() || !step.keptUp()) {
                    break;
                }
                highest = step.rate();
            }
            return highest;
        }
    }

    private AckLadder() {
    }

    static Run climb(WebhookPipeline pipeline) throws Exception {
        String secret = pipeline.createEmpresa(EMPRESA, INSTANCE);
        AtomicLong delivered = new AtomicLong();
        try (SubscribedClients agent = new SubscribedClients((connection, frame, receivedMicros) -> {
            if ("message_notification".equals(frame.path("type").asString())) {
                delivered.incrementAndGet();
            }
        })) {
            SubscribedClients.Opened opened = agent.openAll(1, 1, i -> pipeline.subscriber("u-ack", EMPRESA, null));
            if (opened.failed() > 0) {
                throw new IllegalStateException(pipeline.name() + " refused the subscriber: " + opened.failures());
            }
            OpenLoopLoad load = new OpenLoopLoad(URI.create("http://127.0.0.1:" + pipeline.webhooks().getPort()
                    + "/webhooks/evolution/" + EMPRESA), "Bearer " + secret);
            List<Step> steps = new ArrayList<>();
            long accepted = 0;
            long refused = 0;
            boolean keptUp = true;
            for (int rate : RATES) {
                long first = accepted;
                OpenLoopLoad.Result warm = load.run(rate, WARM_UP, 4000, i -> upsert(first + i));
                long afterWarm = accepted + warm.sent();
                OpenLoopLoad.Result measured = load.run(rate, MEASURED, 4000, i -> upsert(afterWarm + i));
                accepted = afterWarm + measured.sent();
                long okSoFar = delivered.get();
                long deadline = System.nanoTime() + Duration.ofSeconds(KEPT_UP_SECONDS).toNanos();
                refused += warm.failed() + measured.failed();
                long expected = accepted - refused;
                while (okSoFar < expected && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    okSoFar = delivered.get();
                }
                keptUp &= okSoFar >= expected;
                Step step = new Step(rate, measured.sent(), measured.percentile(50) / 1000.0,
                        measured.percentile(99) / 1000.0, measured.failed(), measured.saturated(), keptUp);
                steps.add(step);
                System.out.printf("  %s ack at %d/s: p99 %.2f ms, failed %d, not sent %d, kept up %s%n",
                        pipeline.name(), rate, step.p99Ms(), step.failed(), step.saturated(), keptUp);
                if (!step.withinLimit()) {
                    break;
                }
            }
            return new Run(pipeline.name(), steps);
        }
    }

    /** Webhook {@code i}: a distinct customer mensagem over 500 conversas, as the latency comparison posts. */
    private static String upsert(long i) {
        return WebhookToWebSocketBenchmark.upsert(i, "3A" + String.format("%018X", i), INSTANCE);
    }
}
