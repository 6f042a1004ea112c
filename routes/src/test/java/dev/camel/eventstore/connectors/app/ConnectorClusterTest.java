package dev.camel.eventstore.connectors.app;

import static dev.camel.eventstore.connectors.app.InProcessReplicas.CONNECTOR;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.active;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.check;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.consumer;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.events;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.processed;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.routeStatus;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the connectors application in this JVM, elected through file locks: one delivers, the other
 * stands by (healthy, saying so), and takes over from the stored checkpoint when the first stops.
 */
class ConnectorClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void oneReplicaDeliversAndTheStandbyTakesOverFromTheCheckpoint() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                InProcessReplicas replicas = new InProcessReplicas(server, fileLocks())) {
            server.append("orders-1", events(0, 10));
            Main a = replicas.start("replica-a");
            Main b = replicas.start("replica-b");

            await().atMost(WAIT).until(() -> active(a) != active(b));
            Main leader = active(a) ? a : b;
            Main standby = leader == a ? b : a;
            await().atMost(WAIT).until(() -> processed(leader) == 9 && stored(leader) == 9);
            assertThat(routeStatus(standby)).isEqualTo(ServiceStatus.Stopped);
            // the standby's consumer exists (its metrics are registered) but never started
            assertThat(consumer(standby)).isInstanceOf(EventStoreConsumer.class);
            HealthCheck.Result role = check(standby, "connector:" + CONNECTOR);
            assertThat(role.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(role.getMessage()).hasValue("standby");
            assertThat(check(leader, "connector:" + CONNECTOR).getMessage()).hasValue("active");

            // a graceful stop stores the checkpoint before it lets go of the lock; the standby resumes after it and
            // delivers only what is new
            replicas.stop(leader);
            server.append("orders-1", events(10, 5));
            await().atMost(WAIT).until(() -> active(standby) && processed(standby) == 14);
            assertThat(consumer(standby).getDeliveredCount()).isEqualTo(5);
        }
    }

    @Test
    void theKafkaCheckpointStoreIsRefusedOnReplicas() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                InProcessReplicas replicas = new InProcessReplicas(server, fileLocks())) {
            assertThatThrownBy(() -> replicas.start(
                            "replica-a",
                            Map.of(
                                    "camel.routeTemplate[" + CONNECTOR + "].checkpointStore",
                                    "kafka",
                                    "camel.routeTemplate[" + CONNECTOR + "].checkpointKafkaBootstrapServers",
                                    "127.0.0.1:9")))
                    .rootCause()
                    .hasMessage("Invalid connector setting 'checkpointStore': it must be eventstore when the connectors"
                            + " run on several replicas (a cluster service is configured): only EventStoreDB refuses"
                            + " the checkpoint writes of a replica that lost its leadership, a Kafka topic takes them");
        }
    }

    /** File locks, and a checkpoint after every event. */
    private Map<String, String> fileLocks() {
        return Map.of(
                "connectors.cluster.service",
                "file",
                "connectors.cluster.file.root",
                dir.toString(),
                "camel.routeTemplate[" + CONNECTOR + "].checkpointRecordsThreshold",
                "1");
    }
}
