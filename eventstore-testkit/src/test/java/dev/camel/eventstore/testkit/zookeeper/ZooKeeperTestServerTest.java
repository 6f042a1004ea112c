package dev.camel.eventstore.testkit.zookeeper;

import static dev.camel.eventstore.testkit.zookeeper.ZooKeeperChecks.TIMEOUT;
import static dev.camel.eventstore.testkit.zookeeper.ZooKeeperChecks.connect;
import static dev.camel.eventstore.testkit.zookeeper.ZooKeeperChecks.create;
import static dev.camel.eventstore.testkit.zookeeper.ZooKeeperChecks.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperTestServerTest {

    @Test
    void curatorCreatesAndReadsAZnode() throws Exception {
        try (ZooKeeperTestServer zookeeper =
                        ZooKeeperTestServer.builder().build().start();
                CuratorFramework client = connect(zookeeper.connectString())) {
            assertThat(zookeeper.connectString())
                    .matches("127\\.0\\.0\\.1:\\d+")
                    .endsWith(":" + zookeeper.port());
            assertThat(zookeeper.isRunning()).isTrue();

            create(client, "/camel/cluster/config", "leader-election");

            assertThat(client.getChildren().forPath("/camel/cluster")).containsExactly("config");
        }
    }

    /**
     * What a high-availability test does: the coordination service goes away under a connected client and comes back
     * on the same address. The client reconnects within its session timeout, so its session, and the ephemeral node
     * that marks it as leader, survive; the persistent data survives too.
     */
    @Test
    void restartKeepsThePortTheDataAndTheSessionsOfClientsThatReconnect() throws Exception {
        try (ZooKeeperTestServer zookeeper =
                        ZooKeeperTestServer.builder().build().start();
                CuratorFramework client = connect(zookeeper.connectString())) {
            int port = zookeeper.port();
            long sessionId = client.getZookeeperClient().getZooKeeper().getSessionId();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            client.getConnectionStateListenable().addListener((c, state) -> states.add(state));
            create(client, "/ha/config", "v1");
            client.create().withMode(CreateMode.EPHEMERAL).forPath("/ha/leader");

            zookeeper.restart();

            assertThat(zookeeper.port()).isEqualTo(port);
            await().atMost(TIMEOUT).until(() -> states.contains(ConnectionState.RECONNECTED));
            // the client's first CONNECTED may reach the listener late, so only the order of what follows counts
            assertThat(states)
                    .containsSubsequence(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED)
                    .doesNotContain(ConnectionState.LOST);
            assertThat(client.getZookeeperClient().getZooKeeper().getSessionId())
                    .isEqualTo(sessionId);
            assertThat(read(client, "/ha/config")).isEqualTo("v1");
            assertThat(client.checkExists().forPath("/ha/leader"))
                    .as("the ephemeral node of the surviving session")
                    .isNotNull();
            try (CuratorFramework another = connect(zookeeper.connectString())) {
                assertThat(read(another, "/ha/config")).isEqualTo("v1");
            }
        }
    }

    /**
     * A client that goes away while the server is down does not come back for its session: once the server runs again,
     * it expires that session after the session timeout, as any ZooKeeper server does, deleting its ephemeral node.
     */
    @Test
    void sessionsOfClientsThatDoNotReconnectExpireAfterTheServerIsBack() throws Exception {
        try (ZooKeeperTestServer zookeeper = ZooKeeperTestServer.builder()
                .tickTime(Duration.ofMillis(100))
                .build()
                .start()) {
            CuratorFramework leaving = connect(zookeeper.connectString(), Duration.ofSeconds(1));
            leaving.create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .forPath("/ha/leader");

            zookeeper.stop();
            leaving.close(); // cannot tell the stopped server: its session stays until it expires
            zookeeper.start();

            try (CuratorFramework observer = connect(zookeeper.connectString())) {
                await().atMost(TIMEOUT).until(() -> observer.checkExists().forPath("/ha/leader") == null);
            }
        }
    }

    @Test
    void aKeptDataDirectoryCarriesTheDataToTheNextServer(@TempDir Path temp) throws Exception {
        Path dataDir = temp.resolve("zookeeper");
        try (ZooKeeperTestServer first =
                        ZooKeeperTestServer.builder().dataDir(dataDir).build().start();
                CuratorFramework client = connect(first.connectString())) {
            create(client, "/kept", "across servers");
        }
        assertThat(dataDir).isDirectory();

        try (ZooKeeperTestServer second =
                        ZooKeeperTestServer.builder().dataDir(dataDir).build().start();
                CuratorFramework client = connect(second.connectString())) {
            assertThat(read(client, "/kept")).isEqualTo("across servers");
        }
        assertThat(dataDir.resolve("data").resolve("version-2")).isDirectory();
        assertThat(dataDir).isDirectoryNotContaining("glob:**/zookeeper.configuration*");
    }

    @Test
    void closeDeletesATemporaryDataDirectory() {
        ZooKeeperTestServer zookeeper = ZooKeeperTestServer.builder().build().start();
        Path dataDir = zookeeper.dataDir();
        assertThat(dataDir.resolve("data")).isDirectory();

        zookeeper.close();

        assertThat(dataDir).doesNotExist();
        assertThat(zookeeper.isRunning()).isFalse();
        assertThatThrownBy(zookeeper::start).isInstanceOf(IllegalStateException.class);
    }

    /** ZooKeeper's embedded server would end the JVM over a port in use: the test server refuses to start instead. */
    @Test
    void aPortInUseFailsTheStartAndLeavesTheJvmRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(ZooKeeperTestServer.HOST));
                ZooKeeperTestServer zookeeper =
                        ZooKeeperTestServer.builder().port(taken.getLocalPort()).build()) {
            assertThatThrownBy(zookeeper::start)
                    .isInstanceOf(ZooKeeperTestServerException.class)
                    .hasMessageContaining("port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
            assertThat(zookeeper.isRunning()).isFalse();

            taken.close();
            zookeeper.start();
            assertThat(zookeeper.port()).isEqualTo(taken.getLocalPort());
        }
    }

    @Test
    void refusesMisuse() {
        try (ZooKeeperTestServer zookeeper = ZooKeeperTestServer.builder().build()) {
            assertThatThrownBy(zookeeper::port)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("first starts");
            zookeeper.start();
            assertThatThrownBy(zookeeper::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running");
        }
        assertThatThrownBy(() -> ZooKeeperTestServer.builder().port(70_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZooKeeperTestServer.builder().tickTime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
