package dev.camel.eventstore.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * One line of the table: what was measured, the value of each measured run, and the target it is held to. Groups
 * print rows on standard output ({@link #encode()}); the driver collects them and prints the table.
 */
record Row(String id, String name, Unit unit, double[] runs, double[] cpu, String target, Verdict verdict) {
    static final String PREFIX = "ROW\t";

    enum Unit {
        EVENTS_PER_SECOND("events/s"),
        RATIO("x"),
        MILLIS("ms"),
        /** Where a variant's CPU per event went: each run's total, and in {@link #cpu()} the parts' medians. */
        CPU_SPLIT("us"),
        MEBIBYTES("MiB"),
        COUNT("");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    enum Verdict {
        MET("met"),
        MISSED("MISSED"),
        NONE("");

        final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    static Row of(String id, String name, Unit unit, double[] runs) {
        return new Row(id, name, unit, runs, new double[0], "", Verdict.NONE);
    }

    /** Events/s of variant {@code v} of interleaved runs, with its CPU time per event. */
    static Row rate(String id, String name, Harness.Interleaved runs, int v) {
        return of(id, name, Unit.EVENTS_PER_SECOND, runs.rates()[v]).withCpu(runs.cpuMicrosPerEvent()[v]);
    }

    /**
     * Where the CPU time per event of variant {@code v} went, by thread category: the medians of the runs, part by
     * part ({@link CpuSplit#labels()}); the value of each run is its total.
     */
    static Row cpuSplit(String variantId, Harness.Interleaved runs, int v) {
        CpuSplit[] splits = runs.cpuSplits()[v];
        return of(
                        variantId + ".cpu",
                        "CPU/event of " + variantId + " by thread",
                        Unit.CPU_SPLIT,
                        CpuSplit.totals(splits))
                .withCpu(CpuSplit.median(splits).micros());
    }

    /** Variant {@code a}'s rate over variant {@code b}'s, round by round, held to at least {@code minimum}. */
    static Row ratio(String id, String name, Harness.Interleaved runs, int a, int b, double minimum) {
        return atLeast(id, name, Unit.RATIO, Stats.ratios(runs.rates()[a], runs.rates()[b]), minimum);
    }

    /** The same row with the CPU time per event (microseconds) of each run. */
    Row withCpu(double[] cpuMicrosPerEvent) {
        return new Row(id, name, unit, runs, cpuMicrosPerEvent, target, verdict);
    }

    /** Held to "at least {@code minimum}" by its median. */
    static Row atLeast(String id, String name, Unit unit, double[] runs, double minimum) {
        Row row = of(id, name, unit, runs);
        return new Row(
                id,
                name,
                unit,
                runs,
                new double[0],
                ">= " + format(minimum, unit),
                row.median() >= minimum ? Verdict.MET : Verdict.MISSED);
    }

    /** Held to "at most {@code maximum}" by its median. */
    static Row atMost(String id, String name, Unit unit, double[] runs, double maximum, String target) {
        Row row = of(id, name, unit, runs);
        return new Row(
                id, name, unit, runs, new double[0], target, row.median() <= maximum ? Verdict.MET : Verdict.MISSED);
    }

    double median() {
        return Stats.median(runs);
    }

    double min() {
        return Arrays.stream(runs).min().orElse(Double.NaN);
    }

    double max() {
        return Arrays.stream(runs).max().orElse(Double.NaN);
    }

    String encode() {
        return PREFIX
                + String.join(
                        "\t",
                        id,
                        name,
                        unit.name(),
                        join(runs),
                        join(cpu),
                        target.isEmpty() ? "-" : target,
                        verdict.name());
    }

    static Row decode(String line) {
        String[] f = line.substring(PREFIX.length()).split("\t", -1);
        return new Row(
                f[0],
                f[1],
                Unit.valueOf(f[2]),
                split(f[3]),
                split(f[4]),
                f[5].equals("-") ? "" : f[5],
                Verdict.valueOf(f[6]));
    }

    private static String join(double[] values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(v);
        }
        return s.toString();
    }

    private static double[] split(String values) {
        return Arrays.stream(values.split(","))
                .filter(v -> !v.isEmpty())
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    static String format(double value, Unit unit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return switch (unit) {
            case EVENTS_PER_SECOND -> String.format(Locale.ROOT, "%,.0f", value);
            case RATIO -> String.format(Locale.ROOT, "%.2f", value);
            case MILLIS ->
                value < 10 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%,.0f", value);
            case MEBIBYTES, COUNT -> String.format(Locale.ROOT, "%,.0f", value);
            case CPU_SPLIT -> String.format(Locale.ROOT, "%.1f", value);
        };
    }
}
