package dev.chatcentral.bench;

import java.util.Arrays;

/** Latency samples in microseconds, recorded from any thread, read at the end. */
public final class Latencies {

    private long[] micros = new long[1024];
    private int count;

    public synchronized void record(long sample) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = sample;
    }

    public synchronized int count() {
        return count;
    }

    /** A copy of the samples, in the order recorded. */
    public synchronized long[] snapshot() {
        return Arrays.copyOf(micros, count);
    }

    /** The p-th percentile in milliseconds (nearest rank), or NaN without samples. */
    public synchronized double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        return percentileMillis(sorted, p);
    }

    /** The same of samples already sorted, as a chart reads many percentiles of one series. */
    public static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1000.0;
    }
}
