package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the connectors application in this JVM, elected through file locks: one delivers, the other
 * stands by (healthy, saying so), and takes over from the stored checkpoint when the first stops.
 */
class ConnectorClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONNECTOR = "orders-log";

    private final List<Main> replicas = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopReplicas() {
        replicas.forEach(Main::stop);
    }

    @Test
    void oneReplicaDeliversAndTheStandbyTakesOverFromTheCheckpoint() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            server.append("orders-1", events(0, 10));
            long firstHead = 9; // revisions 0 to 9
            Main a = replica(server, "replica-a");
            Main b = replica(server, "replica-b");

            await().atMost(WAIT).until(() -> active(a) != active(b));
            Main leader = active(a) ? a : b;
            Main standby = leader == a ? b : a;
            await().atMost(WAIT).until(() -> processed(leader) == firstHead);
            assertThat(routeStatus(standby)).isEqualTo(ServiceStatus.Stopped);
            HealthCheck.Result role = check(standby, "connector:" + CONNECTOR);
            assertThat(role.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(role.getMessage()).contains("standby");
            assertThat(check(leader, "connector:" + CONNECTOR).getMessage()).contains("active");

            // a graceful stop stores the checkpoint; the standby resumes after it and delivers only what is new
            leader.stop();
            replicas.remove(leader);
            server.append("orders-1", events(10, 5));
            long secondHead = 14;
            await().atMost(WAIT).until(() -> active(standby) && processed(standby) == secondHead);
            assertThat(consumer(standby).getDeliveredCount()).isEqualTo(5);
        }
    }

    @Test
    void theKafkaCheckpointStoreIsRefusedOnReplicas() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            assertThatThrownBy(() -> replica(
                            server,
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

    private Main replica(EventStoreTestServer server, String id) throws Exception {
        return replica(server, id, Map.of());
    }

    private Main replica(EventStoreTestServer server, String id, Map<String, String> more) throws Exception {
        Main main = ConnectorsMain.create();
        more.forEach(main::addInitialProperty);
        Map.of(
                        "camel.management.enabled",
                        "false",
                        // the application's package holds this module's test route builders too
                        "camel.main.basePackageScanEnabled",
                        "false",
                        "camel.routeTemplate[" + CONNECTOR + "].templateId",
                        "eventstore-logger-sink",
                        "camel.routeTemplate[" + CONNECTOR + "].connectionString",
                        server.connectionString(),
                        "camel.routeTemplate[" + CONNECTOR + "].stream",
                        "orders-1",
                        "camel.routeTemplate[" + CONNECTOR + "].initialPosition",
                        "earliest",
                        "connectors.cluster.service",
                        "file",
                        "connectors.cluster.file.root",
                        dir.toString(),
                        "connectors.cluster.id",
                        id)
                .forEach(main::addInitialProperty);
        try {
            main.start();
        } catch (Exception | Error e) {
            main.stop();
            throw e;
        }
        replicas.add(main);
        return main;
    }

    private static boolean active(Main main) {
        return routeStatus(main) == ServiceStatus.Started;
    }

    private static ServiceStatus routeStatus(Main main) {
        CamelContext context = main.getCamelContext();
        return context == null ? null : context.getRouteController().getRouteStatus(CONNECTOR);
    }

    private static EventStoreConsumer consumer(Main main) {
        Route route = main.getCamelContext().getRoute(CONNECTOR);
        return (EventStoreConsumer) route.getConsumer();
    }

    private static long processed(Main main) {
        var position = consumer(main).getProcessedPosition();
        return position == null || position.isStart() ? -1 : position.revision();
    }

    private static HealthCheck.Result check(Main main, String id) {
        return HealthCheckHelper.invoke(main.getCamelContext()).stream()
                .filter(r -> r.getCheck().getId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + id));
    }

    private static List<EventData> events(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(n -> (EventData)
                        EventDataBuilder.json("OrderPlaced", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                                .build())
                .toList();
    }
}
