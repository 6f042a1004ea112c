package dev.camel.eventstore.testkit.kafka;

import dev.camel.eventstore.testkit.Standalone;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaTestBroker} as a standalone process, for demos and benchmarks:
 *
 * <pre>
 * java -jar eventstore-testkit/target/eventstore-testkit-kafka.jar [--port 9092] [--log-dir dir] [--partitions n]
 * </pre>
 *
 * <p>Once the broker accepts clients, one line goes to stdout, and the broker runs until the process is stopped
 * (Ctrl+C or SIGTERM shut it down cleanly):
 *
 * <pre>
 * Kafka test broker ready: bootstrap.servers=127.0.0.1:9092
 * </pre>
 *
 * <p>Nothing else goes to stdout: logging goes to stderr, configured by {@code eventstore-testkit-logback.xml} unless
 * {@code -Dlogback.configurationFile} names another configuration. A bad command line prints a usage error to stderr
 * and exits with status 2; a broker that fails to start exits with status 1.
 */
public final class KafkaTestBrokerMain {
    /** The start of the one line printed to stdout when the broker is ready. */
    public static final String READY_PREFIX = "Kafka test broker ready: bootstrap.servers=";

    /** The Logback configuration of the standalone jars, a resource of this module. */
    static final String LOGGING_CONFIGURATION = "eventstore-testkit-logback.xml";

    static final String USAGE =
            """
            Usage: java -jar eventstore-testkit-kafka.jar [--port <port>] [--log-dir <dir>] [--partitions <n>]

            Runs a real single-node Kafka broker (KRaft) on 127.0.0.1 until the process is stopped,
            for tests, demos and benchmarks. Never use it in production.

            Options:
              --port <port>      client port on 127.0.0.1, 0 for a free one (default 9092)
              --log-dir <dir>    log directory to use and keep (default: a temporary directory,
                                 deleted when the broker stops)
              --partitions <n>   partitions of automatically created topics (default 1)
              --help             print this help and exit
            """;

    private KafkaTestBrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        // Before anything logs: the standalone jars' logging (to stderr) unless the user brings a configuration.
        Standalone.defaultLogging(LOGGING_CONFIGURATION);
        Options options = Standalone.parseOrExit(Options::parse, args, USAGE);
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }

        KafkaTestBroker broker = Standalone.startOrExit(() -> options.builder().build());
        // Registered before starting, so that a stop request during start-up also stops the broker cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-test-broker-shutdown"));
        Standalone.startOrExit(broker::start);
        System.out.println(READY_PREFIX + broker.bootstrapServers());
        System.out.flush();

        // Runs until the process is stopped; the shutdown hook closes the broker.
        new CountDownLatch(1).await();
    }

    /** The parsed command line. */
    record Options(int port, Path logDir, int partitions, boolean help) {

        /**
         * Parses {@code --port <port>}, {@code --log-dir <dir>}, {@code --partitions <n>} (also in the {@code
         * --name=value} form) and {@code --help}.
         *
         * @throws IllegalArgumentException for an unknown option or a bad value, with a message for the user
         */
        static Options parse(String... args) {
            int port = KafkaTestBroker.DEFAULT_PORT;
            Path logDir = null;
            int partitions = 1;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                switch (name) {
                    case "--help", "-h" -> {
                        if (value != null) {
                            throw new IllegalArgumentException(name + " takes no value");
                        }
                        help = true;
                    }
                    case "--port", "--log-dir", "--partitions" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(name + " needs a value");
                            }
                            value = args[++i];
                        }
                        switch (name) {
                            case "--port" -> port = parseInt(name, value, 0, 65_535);
                            case "--partitions" -> partitions = parseInt(name, value, 1, 10_000);
                            default -> logDir = parsePath(name, value);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new Options(port, logDir, partitions, help);
        }

        KafkaTestBroker.Builder builder() {
            KafkaTestBroker.Builder builder =
                    KafkaTestBroker.builder().port(port).numPartitions(partitions);
            if (logDir != null) {
                builder.logDir(logDir);
            }
            return builder;
        }

        private static int parseInt(String name, String value, int min, int max) {
            int parsed;
            try {
                parsed = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(
                        name + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        }

        private static Path parsePath(String name, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a directory, got an empty value");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(name + " needs a directory, got '" + value + "': " + e.getMessage());
            }
        }
    }
}
