package dev.camel.eventstore.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The command line: which benchmarks, how big, how often. Every option also reaches the group JVMs. */
record Options(
        List<String> groups,
        int events,
        int httpEvents,
        int loggerEvents,
        int streams,
        int runs,
        int warmups,
        int latencySeconds,
        List<Integer> rates,
        int kafkaMaxInFlight,
        int httpBatchSize,
        int tuningRuns,
        Path jfrDirectory,
        String group,
        boolean inProcess,
        boolean help) {

    static final List<String> ALL_GROUPS =
            List.of("catchup", "kafka", "http", "logger", "latency", "memory", "startup", "tuning", "scale");

    static final String USAGE =
            """
            Usage: java -jar benchmarks/target/eventstore-benchmarks.jar [options]

            Runs the benchmarks (each group in a JVM of its own) and prints one table.

              --only <g1,g2>          groups to run (default all): catchup, kafka, http, logger, latency, memory, startup,
                                      tuning, scale
              --events <n>            events of the catch-up (catchup, kafka, memory; default 1000000)
              --http-events <n>       events of the HTTP catch-up (default 100000: per-event mode is one round trip each)
              --logger-events <n>     events of the logger catch-up (default 250000: each is ~1.5 KB in the file)
              --streams <n>           streams the events are spread over (default 1000)
              --runs <n>              measured runs per benchmark (default 5)
              --warmups <n>           warm-up runs per benchmark (default 1)
              --latency-seconds <n>   length of each latency run (default 10)
              --rates <r1,r2>         append rates of the latency benchmark, events/s (default 1000,10000)
              --kafka-max-in-flight <n>  maxInFlight of the Kafka connector and bound of baseline B (default: the
                                      connector's default, and B bounds at it)
              --http-batch-size <n>   batchSize of the batched HTTP connector (default 500; maxInFlight twice that)
              --tuning-runs <n>       measured runs of the tuning group (default 3; its runs have at most 200000 Kafka,
                                      50000 HTTP and 100000 logger events)
              --jfr <dir>             record every group JVM with Java Flight Recorder into <dir>
              --in-process            run the groups in this JVM (for profiling; give it -Xmx6g)
              --help                  this text

            Quick check: --events 100000 --http-events 20000 --logger-events 50000 --runs 3 --latency-seconds 3
            """;

    static Options defaults() {
        return new Options(
                ALL_GROUPS,
                1_000_000,
                100_000,
                250_000,
                1000,
                5,
                1,
                10,
                List.of(1000, 10_000),
                0,
                500,
                3,
                null,
                null,
                false,
                false);
    }

    static Options parse(String... args) {
        Options o = defaults();
        List<String> groups = o.groups;
        int events = o.events;
        int httpEvents = o.httpEvents;
        int loggerEvents = o.loggerEvents;
        int streams = o.streams;
        int runs = o.runs;
        int warmups = o.warmups;
        int latencySeconds = o.latencySeconds;
        List<Integer> rates = o.rates;
        int kafkaMaxInFlight = o.kafkaMaxInFlight;
        int httpBatchSize = o.httpBatchSize;
        int tuningRuns = o.tuningRuns;
        Path jfr = null;
        String group = null;
        boolean inProcess = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--only" -> {
                    groups = List.of(value(args, ++i, arg).split(","));
                    for (String g : groups) {
                        if (!ALL_GROUPS.contains(g)) {
                            throw new IllegalArgumentException("unknown group '" + g + "'; groups: " + ALL_GROUPS);
                        }
                    }
                }
                case "--events" -> events = number(args, ++i, arg, 1000);
                case "--http-events" -> httpEvents = number(args, ++i, arg, 100);
                case "--logger-events" -> loggerEvents = number(args, ++i, arg, 100);
                case "--streams" -> streams = number(args, ++i, arg, 1);
                case "--runs" -> runs = number(args, ++i, arg, 1);
                case "--warmups" -> warmups = number(args, ++i, arg, 0);
                case "--latency-seconds" -> latencySeconds = number(args, ++i, arg, 1);
                case "--rates" -> {
                    List<Integer> parsed = new ArrayList<>();
                    for (String r : value(args, ++i, arg).split(",")) {
                        parsed.add(Integer.parseInt(r.strip()));
                    }
                    rates = List.copyOf(parsed);
                }
                case "--kafka-max-in-flight" -> kafkaMaxInFlight = number(args, ++i, arg, 1);
                case "--http-batch-size" -> httpBatchSize = number(args, ++i, arg, 2);
                case "--tuning-runs" -> tuningRuns = number(args, ++i, arg, 1);
                case "--jfr" -> jfr = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--group" -> group = value(args, ++i, arg);
                case "--in-process" -> inProcess = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(
                groups,
                events,
                httpEvents,
                loggerEvents,
                streams,
                runs,
                warmups,
                latencySeconds,
                rates,
                kafkaMaxInFlight,
                httpBatchSize,
                tuningRuns,
                jfr,
                group,
                inProcess,
                help);
    }

    /** The options a group JVM is started with: these, for one group. */
    List<String> forGroup(String name) {
        List<String> args = new ArrayList<>(List.of(
                "--group",
                name,
                "--events",
                Integer.toString(events),
                "--http-events",
                Integer.toString(httpEvents),
                "--logger-events",
                Integer.toString(loggerEvents),
                "--streams",
                Integer.toString(streams),
                "--runs",
                Integer.toString(runs),
                "--warmups",
                Integer.toString(warmups),
                "--latency-seconds",
                Integer.toString(latencySeconds),
                "--rates",
                String.join(",", rates.stream().map(String::valueOf).toList()),
                "--http-batch-size",
                Integer.toString(httpBatchSize),
                "--tuning-runs",
                Integer.toString(tuningRuns)));
        if (kafkaMaxInFlight > 0) {
            args.addAll(List.of("--kafka-max-in-flight", Integer.toString(kafkaMaxInFlight)));
        }
        return args;
    }

    /** What the table's header says about the sizes. */
    String describe() {
        return String.format(
                "events %,d (HTTP %,d, logger %,d) of 1 KiB JSON over %,d streams; %d warm-up + %d measured runs;"
                        + " latency runs of %d s at %s events/s; tuning %d measured runs",
                events,
                httpEvents,
                loggerEvents,
                streams,
                warmups,
                runs,
                latencySeconds,
                String.join(
                        " and ",
                        rates.stream().map(r -> String.format("%,d", r)).toList()),
                tuningRuns);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String option, int min) {
        String v = value(args, i, option);
        int n;
        try {
            n = Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return Arrays.toString(forGroup(group == null ? "-" : group).toArray());
    }
}
