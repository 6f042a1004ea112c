package dev.camel.eventstore.examples.demo;

import java.nio.file.Path;

/** The demo's command line: which services to start, which to use, how fast to write, how often to report. */
record DemoOptions(
        String esdb,
        String kafka,
        String httpUrl,
        double rate,
        Path dataDirectory,
        int progressSeconds,
        int managementPort) {

    static final String USAGE =
            """
            Usage: java -jar examples/target/eventstore-demo.jar [options]
              --esdb <connection string>  use this EventStoreDB (default: start the testkit server on port 2113)
              --kafka <bootstrap servers> use this Kafka (default: start an in-process broker)
              --http <url>                post events to this URL; {stream} is replaced by the stream name
                                          (default: start a local HTTP receiver)
              --rate <events/s>           sample order events written per second (default 20; 0 writes none)
              --data-dir <dir>            where the local server and broker keep their data, so that a second run
                                          resumes (default examples/target/demo-data)
              --progress <seconds>        how often to print progress (default 5)
              --management-port <port>    health and metrics at /observe/health, /observe/metrics (default 8080)
            Stop with Ctrl-C; run again to resume from the checkpoints.""";

    /** @return the options, or {@code null} when help was asked for */
    static DemoOptions parse(String[] args) {
        String esdb = null;
        String kafka = null;
        String httpUrl = null;
        double rate = 20;
        Path dataDirectory = Path.of("examples", "target", "demo-data");
        int progressSeconds = 5;
        int managementPort = 8080;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--esdb" -> esdb = value(args, ++i, option);
                case "--kafka" -> kafka = value(args, ++i, option);
                case "--http" -> httpUrl = value(args, ++i, option);
                case "--rate" -> rate = number(option, value(args, ++i, option), 0, 1_000_000);
                case "--data-dir" -> dataDirectory = Path.of(value(args, ++i, option));
                case "--progress" -> progressSeconds = (int) number(option, value(args, ++i, option), 1, 3600);
                case "--management-port" -> managementPort = (int) number(option, value(args, ++i, option), 0, 65535);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new DemoOptions(esdb, kafka, httpUrl, rate, dataDirectory, progressSeconds, managementPort);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static double number(String option, String value, double min, double max) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(option + " must be between " + (long) min + " and " + (long) max);
        }
        return parsed;
    }
}
