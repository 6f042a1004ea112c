package dev.camel.eventstore.benchmarks;

import java.util.Locale;
import java.util.Map;

/**
 * One run's CPU time per event (microseconds), split by where it went: this JVM's threads by {@link ThreadCategory},
 * what threads that ended spent after their last sample ({@code ended}: this JVM's total, which counts ended threads,
 * less the threads' sum; it also holds the total's 10 ms ticks of rounding), and the Kafka broker's JVM. The parts
 * add up to the run's total.
 */
record CpuSplit(double[] micros) {
    private static final int CATEGORIES = ThreadCategory.values().length;
    private static final int ENDED = CATEGORIES;
    private static final int BROKER = CATEGORIES + 1;

    static CpuSplit of(Map<String, Long> threadNanos, long selfNanos, long brokerNanos, long events) {
        double[] micros = new double[CATEGORIES + 2];
        long threads = 0;
        for (Map.Entry<String, Long> t : threadNanos.entrySet()) {
            micros[ThreadCategory.of(t.getKey()).ordinal()] += perEvent(t.getValue(), events);
            threads += t.getValue();
        }
        micros[ENDED] = perEvent(selfNanos - threads, events);
        micros[BROKER] = perEvent(brokerNanos, events);
        return new CpuSplit(micros);
    }

    private static double perEvent(long nanos, long events) {
        return nanos / 1000.0 / events;
    }

    double total() {
        double sum = 0;
        for (double m : micros) {
            sum += m;
        }
        return sum;
    }

    /** Part by part, the median over runs. */
    static CpuSplit median(CpuSplit[] runs) {
        double[] medians = new double[CATEGORIES + 2];
        for (int part = 0; part < medians.length; part++) {
            double[] values = new double[runs.length];
            for (int r = 0; r < runs.length; r++) {
                values[r] = runs[r].micros[part];
            }
            medians[part] = Stats.median(values);
        }
        return new CpuSplit(medians);
    }

    static double[] totals(CpuSplit[] runs) {
        double[] totals = new double[runs.length];
        for (int r = 0; r < runs.length; r++) {
            totals[r] = runs[r].total();
        }
        return totals;
    }

    /** The parts' names, in the order of {@link #micros()}. */
    static String[] labels() {
        String[] labels = new String[CATEGORIES + 2];
        for (int part = 0; part < labels.length; part++) {
            labels[part] = label(part);
        }
        return labels;
    }

    private static String label(int part) {
        if (part == ENDED) {
            return "ended";
        }
        return part == BROKER ? "broker" : ThreadCategory.values()[part].label;
    }

    /** Every thread of a run with its CPU per event and category, on standard error: how the categories were found. */
    static void printThreads(String variant, Map<String, Long> threadNanos, long events) {
        threadNanos.entrySet().stream()
                .filter(t -> t.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(t -> System.err.printf(
                        Locale.ROOT,
                        "    %-12s %8.2f us/event  %s  [%s]%n",
                        ThreadCategory.of(t.getKey()).label,
                        perEvent(t.getValue(), events),
                        t.getKey(),
                        variant));
    }
}
