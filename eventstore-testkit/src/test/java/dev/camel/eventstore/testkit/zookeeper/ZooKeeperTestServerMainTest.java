package dev.camel.eventstore.testkit.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camel.eventstore.testkit.JavaProcess;
import dev.camel.eventstore.testkit.Standalone;
import dev.camel.eventstore.testkit.StandaloneProcessChecks;
import dev.camel.eventstore.testkit.zookeeper.ZooKeeperTestServerMain.Options;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperTestServerMainTest {

    @Test
    void parsesDefaults() {
        assertThat(Options.parse()).isEqualTo(new Options(2181, null, false));
    }

    @Test
    void parsesAllOptionsInBothForms() {
        assertThat(Options.parse("--port", "12181", "--data-dir", "/tmp/zookeeper-data"))
                .isEqualTo(new Options(12181, Path.of("/tmp/zookeeper-data"), false));
        assertThat(Options.parse("--port=0", "--data-dir=data")).isEqualTo(new Options(0, Path.of("data"), false));
        assertThat(Options.parse("-h").help()).isTrue();
    }

    @Test
    void rejectsBadArguments() {
        assertRejected("unknown argument: --log-dir", "--log-dir", "data");
        assertRejected("--port must be between 0 and 65535, got -1", "--port", "-1");
        assertRejected("--data-dir needs a value", "--data-dir");
        assertRejected("--data-dir needs a directory, got an empty value", "--data-dir= ");
    }

    @Test
    void exitsWithStatus2AndUsageOnBadArguments(@TempDir Path temp) {
        StandaloneProcessChecks.exitsWithUsageError(
                server(temp, "--port", "zoo"),
                "--port needs a whole number, got 'zoo'",
                "Usage: java -jar eventstore-testkit-zookeeper.jar");
    }

    @Test
    void exitsWithStatus1WhenThePortIsTaken(@TempDir Path temp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(ZooKeeperTestServer.HOST));
                JavaProcess process = server(temp, "--port", Integer.toString(taken.getLocalPort()))) {
            assertThat(process.awaitExit(StandaloneProcessChecks.TIMEOUT)).isEqualTo(Standalone.EXIT_START_FAILED);
            assertThat(process.stdout()).isEmpty();
            assertThat(process.stderr())
                    .contains("Error: ZooKeeper test server cannot start: port 127.0.0.1:" + taken.getLocalPort()
                            + " is already in use");
        }
    }

    /** Runs the standalone server in a fresh JVM, as a demo or a test across processes would, and stops it. */
    @Test
    void servesCuratorUntilTerminated(@TempDir Path temp) throws Exception {
        ZooKeeperChecks.servesCuratorUntilTerminated(temp, args -> server(temp, args));
    }

    private static void assertRejected(String message, String... args) {
        assertThatThrownBy(() -> Options.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static JavaProcess server(Path temp, String... args) {
        return JavaProcess.start(temp, List.of("-Xmx256m"), ZooKeeperTestServerMain.class, args);
    }
}
