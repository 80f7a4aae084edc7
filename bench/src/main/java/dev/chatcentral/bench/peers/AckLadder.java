package dev.chatcentral.bench.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.chatcentral.bench.KeepAlivePoster;
import dev.chatcentral.bench.Latencies;
import dev.chatcentral.bench.OpenLoop;
import dev.chatcentral.bench.gateway.SubscribedClients;
import dev.chatcentral.bench.gateway.WebhookToWebSocketBenchmark;

/**
 * The highest webhook rate a {@link WebhookPipeline} acknowledges with p99 at most {@value #ACK_P99_LIMIT_MS} ms:
 * after 30 s at the first rate, rising open-loop steps (2 s warm-up, 5 s measured), over keep-alive connections as
 * Evolution sends (one more while all are busy, up to {@value #CONNECTIONS}; a webhook waiting for one counts the
 * wait), until a step's p99 passes {@value #STOP_P99_MS} ms or a webhook is not answered 200. The highest rate
 * held within the limit is read off the steps, and the same within {@value #LOOSE_P99_LIMIT_MS} ms. The whole
 * pipeline runs meanwhile, so its processing competes for the CPU as it would; one agent subscribed to the empresa
 * counts, after each step, whether every mensagem acknowledged so far reached it within
 * {@value #KEPT_UP_SECONDS} s, which says whether the acknowledged rate was also processed.
 */
final class AckLadder {

    static final double ACK_P99_LIMIT_MS = 50;
    /** A looser limit the report also reads off the same steps, where neither system holds the strict one. */
    static final double LOOSE_P99_LIMIT_MS = 250;
    /** The ladder stops at the first step past this, or with any webhook not answered 200. */
    private static final double STOP_P99_MS = 1000;
    static final int[] RATES = {500, 1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 20000};
    private static final int KEPT_UP_SECONDS = 5;
    private static final Duration WARM_UP_BEFORE_LADDER = Duration.ofSeconds(30);
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    /**
     * Keep-alive connections at most, as Evolution's sender opens one more while all are busy. A few hundred made
     * either server slower at 500/s than 32 do at 10,000/s (a request thread per connection on both sides, each
     * contending), so a late answer waits for a connection instead, and the wait counts.
     */
    private static final int CONNECTIONS = 32;
    private static final Duration MEASURED = Duration.ofSeconds(5);
    private static final String EMPRESA = "emp-ack";
    private static final String INSTANCE = "bench-ack";

    /** One step: the acknowledgement percentiles, failures, and whether processing kept up so far. */
    record Step(int rate, long sent, double p50Ms, double p99Ms, long failed, boolean keptUp) {

        boolean within(double limitMs) {
            return p99Ms <= limitMs && failed == 0;
        }
    }

    /** A ladder's steps, up to and including the first that missed the limit. */
    record Run(String system, List<Step> steps) {

        /** The highest rate of the steps up to the first past {@code limitMs}; 0 when even the first was past it. */
        double sustained(double limitMs) {
            return sustained(limitMs, false);
        }

        /** The same, counting only steps after which every mensagem so far was also delivered. */
        double sustainedAndProcessed(double limitMs) {
            return sustained(limitMs, true);
        }

        private double sustained(double limitMs, boolean processed) {
            double highest = 0;
            for (Step step : steps) {
                if (!step.within(limitMs) || processed && !step.keptUp()) {
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
        Map<String, Tally> tallies = new ConcurrentHashMap<>();
        try (SubscribedClients agent = new SubscribedClients((connection, frame, receivedMicros) -> {
            if ("message_notification".equals(frame.path("type").asString())) {
                delivered.incrementAndGet();
            }
        }); KeepAlivePoster poster = new KeepAlivePoster(pipeline.webhooks(), "/webhooks/evolution/" + EMPRESA,
                Map.of("Authorization", "Bearer " + secret), CONNECTIONS,
                outcome -> tallies.get(outcome.tag()).count(outcome))) {
            SubscribedClients.Opened opened = agent.openAll(1, 1, i -> pipeline.subscriber("u-ack", EMPRESA, null));
            if (opened.failed() > 0) {
                throw new IllegalStateException(pipeline.name() + " refused the subscriber: " + opened.failures());
            }
            Sender sender = new Sender(poster, tallies);
            // the ladder measures a warm system's capacity; its tail after a start is the latency comparison's
            sender.send("warm-up", RATES[0], WARM_UP_BEFORE_LADDER);
            List<Step> steps = new ArrayList<>();
            boolean keptUp = true;
            for (int rate : RATES) {
                sender.send("warm-up " + rate, rate, WARM_UP);
                Tally measured = sender.send("measured " + rate, rate, MEASURED);
                long expected = sender.accepted();
                long deadline = System.nanoTime() + Duration.ofSeconds(KEPT_UP_SECONDS).toNanos();
                while (delivered.get() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                keptUp &= delivered.get() >= expected;
                Step step = new Step(rate, measured.sent, measured.latencies.percentileMillis(50),
                        measured.latencies.percentileMillis(99), measured.failed.get(), keptUp);
                steps.add(step);
                System.out.printf("  %s ack at %d/s: p99 %.2f ms, failed %d, kept up %s%n",
                        pipeline.name(), rate, step.p99Ms(), step.failed(), keptUp);
                if (!step.within(STOP_P99_MS)) {
                    break;
                }
            }
            return new Run(pipeline.name(), steps);
        }
    }

    /** What became of one phase's webhooks. */
    private static final class Tally {
        final Latencies latencies = new Latencies();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        long sent;

        void count(KeepAlivePoster.Outcome outcome) {
            if (outcome.kind() == KeepAlivePoster.Kind.ANSWERED && outcome.status() == 200) {
                latencies.record((outcome.doneNanos() - outcome.dueNanos()) / 1000);
            } else {
                failed.incrementAndGet();
            }
            done.incrementAndGet();
        }
    }

    /** Posts phases open loop, each to its end (every answer in, at most 30 s after the last was due). */
    private static final class Sender {
        private final KeepAlivePoster poster;
        private final Map<String, Tally> tallies;
        private long next;
        private long accepted;

        Sender(KeepAlivePoster poster, Map<String, Tally> tallies) {
            this.poster = poster;
            this.tallies = tallies;
        }

        Tally send(String phase, int rate, Duration duration) throws InterruptedException {
            Tally tally = new Tally();
            tallies.put(phase, tally);
            long total = rate * duration.toSeconds();
            OpenLoop schedule = new OpenLoop(System.nanoTime(), rate);
            for (long i = 0; i < total; i++) {
                long due = schedule.awaitDue(i);
                poster.post(upsert(next++), due, phase);
            }
            tally.sent = total;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tally.done.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            accepted += tally.latencies.count();
            return tally;
        }

        /** Webhooks answered 200 so far: each a mensagem the agent should receive. */
        long accepted() {
            return accepted;
        }
    }

    /** Webhook {@code i}: a distinct customer mensagem over 500 conversas, as the latency comparison posts. */
    private static String upsert(long i) {
        return WebhookToWebSocketBenchmark.upsert(i, "3A" + String.format("%018X", i), INSTANCE);
    }
}
