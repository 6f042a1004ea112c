package dev.camel.eventstore.testkit.zookeeper;

import dev.camel.eventstore.testkit.StandaloneMain;
import dev.camel.eventstore.testkit.StandaloneMain.CommandLine;
import java.nio.file.Path;
import java.util.Set;

/**
 * Runs a {@link ZooKeeperTestServer} as a standalone process, for demos and high-availability tests across processes:
 *
 * <pre>
 * java -jar eventstore-testkit/target/eventstore-testkit-zookeeper.jar [--port 2181] [--data-dir dir]
 * </pre>
 *
 * <p>Once the server accepts clients, one line goes to stdout, and the server runs until the process is stopped
 * (Ctrl+C or SIGTERM shut it down cleanly):
 *
 * <pre>
 * ZooKeeper test server ready: connectString=127.0.0.1:2181
 * </pre>
 *
 * <p>Logging, usage errors (exit status 2) and start failures (exit status 1) are those of every standalone jar of the
 * testkit: see {@link StandaloneMain}.
 */
public final class ZooKeeperTestServerMain {
    /** The start of the one line printed to stdout when the server is ready. */
    public static final String READY_PREFIX = "ZooKeeper test server ready: connectString=";

    static final String USAGE =
            """
            Usage: java -jar eventstore-testkit-zookeeper.jar [--port <port>] [--data-dir <dir>]

            Runs a real standalone ZooKeeper server on 127.0.0.1 until the process is stopped,
            for tests, demos and benchmarks. Never use it in production.

            Options:
              --port <port>      client port on 127.0.0.1, 0 for a free one (default 2181)
              --data-dir <dir>   directory to keep the data in (default: a temporary directory,
                                 deleted when the server stops)
              --help             print this help and exit
            """;

    private ZooKeeperTestServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        StandaloneMain.run(args, USAGE, Options::parse, "zookeeper-test-server-shutdown");
    }

    /** The parsed command line. */
    record Options(int port, Path dataDir, boolean help) implements StandaloneMain.Command<ZooKeeperTestServer> {

        /**
         * Parses {@code --port <port>}, {@code --data-dir <dir>} (also in the {@code --name=value} form) and {@code
         * --help}.
         *
         * @throws IllegalArgumentException for an unknown option or a bad value, with a message for the user
         */
        static Options parse(String... args) {
            CommandLine line = CommandLine.parse(Set.of("--port", "--data-dir"), args);
            return new Options(
                    line.intValue("--port", ZooKeeperTestServer.DEFAULT_PORT, 0, 65_535),
                    line.pathValue("--data-dir"),
                    line.help());
        }

        @Override
        public ZooKeeperTestServer build() {
            ZooKeeperTestServer.Builder builder = ZooKeeperTestServer.builder().port(port);
            return (dataDir == null ? builder : builder.dataDir(dataDir)).build();
        }

        @Override
        public String start(ZooKeeperTestServer server) {
            return READY_PREFIX + server.start().connectString();
        }
    }
}
