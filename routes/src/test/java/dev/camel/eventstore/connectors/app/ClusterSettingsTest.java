package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code connectors.cluster.*} settings: defaults, and one message naming the setting for each bad value. */
class ClusterSettingsTest {
    @Test
    void withoutSettingsTheApplicationIsNotClusteredAndTheTimingsHaveTheirDefaults() {
        ClusterSettings settings = read();
        assertThat(settings.clustered()).isFalse();
        assertThat(settings.zookeeperSessionTimeout()).isEqualTo(ClusterSettings.DEFAULT_ZOOKEEPER_SESSION_TIMEOUT);
        assertThat(settings.fileAcquireLockInterval()).isEqualTo(ClusterSettings.DEFAULT_FILE_ACQUIRE_LOCK_INTERVAL);
        assertThat(settings.memberId()).endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void durationsTakeUnits() {
        ClusterSettings settings = read(
                "connectors.cluster.service", "ZooKeeper",
                "connectors.cluster.zookeeper.nodes", "zk-1:2181,zk-2:2181",
                "connectors.cluster.zookeeper.sessionTimeout", "4s",
                "connectors.cluster.id", "replica-a");
        assertThat(settings.service()).isEqualTo(ClusterSettings.Service.ZOOKEEPER);
        assertThat(settings.zookeeperSessionTimeout()).isEqualTo(4000);
        assertThat(settings.memberId()).isEqualTo("replica-a");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            connectors.cluster.service | raft | 'connectors.cluster.service': it must be one of none, zookeeper, kubernetes, file, got 'raft'
            connectors.cluster.service | zookeeper | 'connectors.cluster.zookeeper.nodes': it is required when connectors.cluster.service is zookeeper
            connectors.cluster.service | file | 'connectors.cluster.file.root': it is required when connectors.cluster.service is file
            connectors.cluster.zookeeper.sessionTimeout | soon | 'connectors.cluster.zookeeper.sessionTimeout': it must be a duration (5000, 5s, 1m30s), got 'soon'
            connectors.cluster.file.acquireLockInterval | 0 | 'connectors.cluster.file.acquireLockInterval': it must be greater than 0, got '0'
            connectors.cluster.file.heartbeatTimeoutMultiplier | -2 | 'connectors.cluster.file.heartbeatTimeoutMultiplier': it must be a whole number greater than 0, got '-2'
            connectors.cluster.kubernetes.renewDeadline | 7s | 'connectors.cluster.kubernetes.renewDeadline': it must be shorter than connectors.cluster.kubernetes.leaseDuration (6000 ms), got 7000 ms
            """)
    void aBadValueFailsNamingTheSetting(String name, String value, String message) {
        // the Kubernetes timings are checked against each other when Kubernetes is the service
        String service = name.startsWith("connectors.cluster.kubernetes.") ? "kubernetes" : "none";
        String[] settings = name.equals("connectors.cluster.service")
                ? new String[] {name, value}
                : new String[] {"connectors.cluster.service", service, name, value};
        assertThatThrownBy(() -> read(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid cluster setting " + message);
    }

    @Test
    void anUnreachableZooKeeperFailsStartupNamingTheSetting() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CamelContext context = context(
                "connectors.cluster.service", "zookeeper",
                "connectors.cluster.zookeeper.nodes", "127.0.0.1:" + port,
                "connectors.cluster.zookeeper.connectionTimeout", "1s");
        assertThatThrownBy(() -> ConnectorCluster.configure(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid cluster setting 'connectors.cluster.zookeeper.nodes': it names no ZooKeeper that"
                        + " answers: '127.0.0.1:" + port + "' did not accept a session within 1000 ms"
                        + " (connectors.cluster.zookeeper.connectionTimeout)");
    }

    @Test
    void anUnreachableKubernetesApiServerFailsStartupNamingTheSetting() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CamelContext context = context(
                "connectors.cluster.service", "kubernetes",
                "connectors.cluster.kubernetes.masterUrl", "http://127.0.0.1:" + port,
                "connectors.cluster.kubernetes.namespace", "connectors");
        assertThatThrownBy(() -> ConnectorCluster.configure(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid cluster setting 'connectors.cluster.kubernetes.masterUrl': it leads to"
                        + " no Kubernetes API server that lets this replica read Leases ('http://127.0.0.1:" + port
                        + "'): ")
                .hasMessageContaining("onnect");
    }

    private static ClusterSettings read(String... keysAndValues) {
        return ClusterSettings.read(context(keysAndValues).getPropertiesComponent());
    }

    private static CamelContext context(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(properties);
        return context;
    }
}
