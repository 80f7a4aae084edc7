package dev.chatcentral.bench.gateway;

import java.util.Arrays;

/** Latency samples in microseconds, recorded from the client's selector thread, read once at the end. */
final class Latencies {

    private long[] micros = new long[1024];
    private int count;

    synchronized void record(long sample) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = sample;
    }

    synchronized int count() {
        return count;
    }

    /** The p-th percentile in milliseconds (nearest rank), or NaN without samples. */
    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(index, count - 1))] / 1000.0;
    }
}
