package dev.chatcentral.bench.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import dev.chatcentral.bench.OpenLoop;

/**
 * An open-loop HTTP load: requests leave at a fixed rate whatever the server does, and each latency is measured
 * from the moment the request was due, not from when it was sent. A closed loop (the next request waits for the
 * previous answer) would slow down with the server and hide its queueing delay (coordinated omission).
 */
public final class OpenLoopLoad {

    /** Latencies of one run in microseconds, and what went wrong. */
    public record Result(int rate, long sent, long ok, long failed, long saturated, double achievedRate, long[] micros) {

        public long percentile(double p) {
            if (micros.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * micros.length) - 1;
            return micros[Math.max(0, Math.min(index, micros.length - 1))];
        }
    }

    /**
     * Several clients: each JDK HttpClient does all its I/O on one selector thread, which alone caps a few thousand
     * requests per second and would measure the load generator instead of the server.
     */
    private final HttpClient[] clients = new HttpClient[4];
    private final URI uri;
    private final String authorization;

    public OpenLoopLoad(URI uri, String authorization) {
        this.uri = uri;
        this.authorization = authorization;
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(1))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }
    }

    /**
     * Sends {@code rate} requests per second for {@code duration}, at most {@code maxInFlight} outstanding:
     * a request due while that many are outstanding is counted as saturated and not sent.
     */
    public Result run(int rate, Duration duration, int maxInFlight, LongFunction<String> body) throws InterruptedException {
        long total = rate * duration.toSeconds();
        long[] micros = new long[(int) total];
        AtomicLong recorded = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long saturated = 0;
        Semaphore inFlight = new Semaphore(maxInFlight);
        long start = System.nanoTime();
        OpenLoop schedule = new OpenLoop(start, rate);
        for (long i = 0; i < total; i++) {
            long due = schedule.awaitDue(i);
            if (!inFlight.tryAcquire()) {
                saturated++;
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.apply(i)))
                    .build();
            clients[(int) (i % clients.length)].sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                long latency = (System.nanoTime() - due) / 1000;
                inFlight.release();
                if (error == null && response.statusCode() == 200) {
                    ok.incrementAndGet();
                    micros[(int) recorded.getAndIncrement()] = latency;
                } else {
                    failed.incrementAndGet();
                }
            });
        }
        long sendingEnded = System.nanoTime();
        inFlight.acquire(maxInFlight);
        inFlight.release(maxInFlight);
        long[] sorted = Arrays.copyOf(micros, (int) recorded.get());
        Arrays.sort(sorted);
        double seconds = (sendingEnded - start) / 1e9;
        return new Result(rate, total - saturated, ok.get(), failed.get(), saturated, (total - saturated) / seconds,
                sorted);
    }
}
