package dev.camel.eventstore.benchmarks;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latencies (ns) of the events received in one run, in a preallocated array; percentiles at the end. */
final class LatencyRecorder {
    private final long[] values;
    private final AtomicInteger count = new AtomicInteger();

    LatencyRecorder(int capacity) {
        this.values = new long[capacity];
    }

    void record(long nanos) {
        int i = count.getAndIncrement();
        if (i < values.length) {
            values[i] = nanos;
        }
    }

    int count() {
        return count.get();
    }

    void reset() {
        count.set(0);
    }

    /** Percentiles {@code ps} (0-100) of what was recorded, in ms. */
    double[] percentilesMillis(double... ps) {
        int n = Math.min(count.get(), values.length);
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        double[] result = new double[ps.length];
        for (int i = 0; i < ps.length; i++) {
            result[i] = Stats.percentile(sorted, n, ps[i]) / 1e6;
        }
        return result;
    }
}
