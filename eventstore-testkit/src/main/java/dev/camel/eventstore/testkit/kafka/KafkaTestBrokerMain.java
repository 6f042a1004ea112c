package dev.camel.eventstore.testkit.kafka;

import dev.camel.eventstore.testkit.StandaloneMain;
import dev.camel.eventstore.testkit.StandaloneMain.CommandLine;
import java.nio.file.Path;
import java.util.Set;

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
 * <p>Logging, usage errors (exit status 2) and start failures (exit status 1) are those of every standalone jar of the
 * testkit: see {@link StandaloneMain}.
 */
public final class KafkaTestBrokerMain {
    /** The start of the one line printed to stdout when the broker is ready. */
    public static final String READY_PREFIX = "Kafka test broker ready: bootstrap.servers=";

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
        StandaloneMain.run(args, USAGE, Options::parse, "kafka-test-broker-shutdown");
    }

    /** The parsed command line. */
    record Options(int port, Path logDir, int partitions, boolean help)
            implements StandaloneMain.Command<KafkaTestBroker> {

        /**
         * Parses {@code --port <port>}, {@code --log-dir <dir>}, {@code --partitions <n>} (also in the {@code
         * --name=value} form) and {@code --help}.
         *
         * @throws IllegalArgumentException for an unknown option or a bad value, with a message for the user
         */
        static Options parse(String... args) {
            CommandLine line = CommandLine.parse(Set.of("--port", "--log-dir", "--partitions"), args);
            return new Options(
                    line.intValue("--port", KafkaTestBroker.DEFAULT_PORT, 0, 65_535),
                    line.pathValue("--log-dir"),
                    line.intValue("--partitions", 1, 1, 10_000),
                    line.help());
        }

        @Override
        public KafkaTestBroker build() {
            KafkaTestBroker.Builder builder =
                    KafkaTestBroker.builder().port(port).numPartitions(partitions);
            if (logDir != null) {
                builder.logDir(logDir);
            }
            return builder.build();
        }

        @Override
        public String start(KafkaTestBroker broker) {
            return READY_PREFIX + broker.start().bootstrapServers();
        }
    }
}
