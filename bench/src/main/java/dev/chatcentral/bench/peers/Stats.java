package dev.chatcentral.bench.peers;

import java.util.Arrays;

import dev.chatcentral.bench.Latencies;

/** The few statistics the side by side report quotes: medians of runs, percentiles of samples, ratios' spread. */
final class Stats {

    private Stats() {
    }

    /** The median; the mean of the two middle values for an even count; NaN for none. */
    static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int middle = finite.length / 2;
        return finite.length % 2 == 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
    }

    /** The p-th percentile (nearest rank) of samples in microseconds, in milliseconds; NaN for none. */
    static double percentileMillis(long[] micros, double p) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return Latencies.percentileMillis(sorted, p);
    }

    /** {@code a[i] / b[i]} for each pair of runs (the runs of one round, alternated). */
    static double[] pairRatios(double[] a, double[] b) {
        double[] ratios = new double[Math.min(a.length, b.length)];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return ratios;
    }
}
