package dev.camel.eventstore.benchmarks;

import java.util.Arrays;

/** Medians and percentiles. */
final class Stats {
    private Stats() {}

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The value at percentile {@code p} (0-100) of sorted values, nearest-rank. */
    static long percentile(long[] sorted, int count, double p) {
        if (count == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    /** Element-wise {@code a[i] / b[i]}: ratios of runs taken side by side. */
    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }
}
