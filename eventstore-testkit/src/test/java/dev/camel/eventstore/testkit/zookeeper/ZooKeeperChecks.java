package dev.camel.eventstore.testkit.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.testkit.JavaProcess;
import dev.camel.eventstore.testkit.StandaloneProcessChecks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;

/**
 * The real Curator client (the one Camel's ZooKeeperClusterService uses) against a ZooKeeper test server, in process
 * ({@link ZooKeeperTestServerTest}), from its main class ({@link ZooKeeperTestServerMainTest}) or from its packaged jar
 * ({@link ZooKeeperTestServerJarIT}).
 */
final class ZooKeeperChecks {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ZooKeeperChecks() {}

    /** A started client with a 30 s session, retrying every 100 ms for ever, as a long-lived service's; connected. */
    static CuratorFramework connect(String connectString) throws InterruptedException {
        return connect(connectString, Duration.ofSeconds(30));
    }

    /** A started client asking for this session timeout, retrying every 100 ms for ever; connected. */
    static CuratorFramework connect(String connectString, Duration sessionTimeout) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs((int) TIMEOUT.toMillis())
                .retryPolicy(new RetryForever(100))
                .build();
        client.start();
        if (!client.blockUntilConnected((int) TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            client.close();
            throw new AssertionError("Curator did not connect to " + connectString + " within " + TIMEOUT);
        }
        return client;
    }

    /** Creates a persistent znode (and its parents) holding the text, and reads it back. */
    static void create(CuratorFramework client, String path, String text) throws Exception {
        client.create().creatingParentsIfNeeded().forPath(path, text.getBytes(StandardCharsets.UTF_8));
        assertThat(read(client, path)).isEqualTo(text);
    }

    static String read(CuratorFramework client, String path) throws Exception {
        return new String(client.getData().forPath(path), StandardCharsets.UTF_8);
    }

    /**
     * A standalone server, as docs/testkit.md documents it, on a free port and with a data directory in {@code temp}:
     * waits for its ready line, creates and reads a znode through the connect string it names, then SIGTERM, a clean
     * exit, and the znode's transaction log kept in the data directory.
     *
     * @param start starts the server process with the given command line arguments
     */
    static void servesCuratorUntilTerminated(Path temp, Function<String[], JavaProcess> start) throws Exception {
        Path dataDir = temp.resolve("zookeeper-data");
        try (JavaProcess process = start.apply(new String[] {"--port", "0", "--data-dir", dataDir.toString()})) {
            String connectString = StandaloneProcessChecks.awaitReady(
                    process,
                    ZooKeeperTestServerMain.READY_PREFIX,
                    "ZooKeeper test server ready: connectString=127\\.0\\.0\\.1:\\d+");
            try (CuratorFramework client = connect(connectString)) {
                create(client, "/standalone/check", "served by " + process.pid());
            }
            StandaloneProcessChecks.terminatesCleanly(process, ZooKeeperTestServerMain.READY_PREFIX);
            assertThat(process.stderr()).doesNotContain("ERROR");
        }
        assertThat(dataDir.resolve("data").resolve("version-2"))
                .as("ZooKeeper's transaction log is kept")
                .isDirectoryContaining(file -> file.getFileName().toString().startsWith("log."));
    }
}
