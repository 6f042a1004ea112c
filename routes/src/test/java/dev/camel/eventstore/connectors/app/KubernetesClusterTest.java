package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
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

/**
 * Two replicas of the connectors application in this JVM, elected through Kubernetes Leases on fabric8's in-process
 * API server (CRUD mode: it stores Pods and Leases and refuses an update whose resourceVersion is stale). Camel lets
 * only Running and Ready pods of the namespace hold a Lease, so the test creates the replicas' Pods; it deletes the
 * leader's Pod once the leader has stopped, as Kubernetes does, since a stopping replica keeps its Lease.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONNECTOR = "orders-log";
    private static final String NAMESPACE = "connectors";

    /** The replicas by their id, which is their Pod's name. */
    private final Map<String, Main> replicas = new LinkedHashMap<>();

    private final EventStoreTestServer eventStore = EventStoreTestServer.startDefault();

    /** The in-process API server and a client of it, from {@link EnableKubernetesMockClient}. */
    KubernetesMockServer server;

    KubernetesClient client;

    @AfterEach
    void stopReplicas() {
        replicas.values().forEach(Main::stop);
        eventStore.close();
    }

    @Test
    void oneReplicaDeliversAndTheStandbyTakesOverFromTheCheckpoint() throws Exception {
        eventStore.append("orders-1", events(0, 10));
        long firstHead = 9; // revisions 0 to 9
        Main a = replica("replica-a");
        Main b = replica("replica-b");

        await().atMost(WAIT).until(() -> active(a) != active(b));
        String leaderId = active(a) ? "replica-a" : "replica-b";
        String standbyId = leaderId.equals("replica-a") ? "replica-b" : "replica-a";
        Main leader = replicas.get(leaderId);
        Main standby = replicas.get(standbyId);
        await().atMost(WAIT).until(() -> processed(leader) == firstHead);
        assertThat(routeStatus(standby)).isEqualTo(ServiceStatus.Stopped);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leaderId);
        HealthCheck.Result role = check(standby, "connector:" + CONNECTOR);
        assertThat(role.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(role.getMessage()).contains("standby");
        assertThat(check(leader, "connector:" + CONNECTOR).getMessage()).contains("active");

        // a graceful stop stores the checkpoint but keeps the Lease: Camel hands it over only once the holder's
        // Pod is no longer Running and Ready, which Kubernetes does when the container has ended
        long stopping = System.nanoTime();
        leader.stop();
        replicas.remove(leaderId);
        long stopped = System.nanoTime();
        client.pods().inNamespace(NAMESPACE).withName(leaderId).delete();
        eventStore.append("orders-1", events(10, 5));
        long secondHead = 14;
        await().atMost(WAIT).until(() -> active(standby) && processed(standby) == secondHead);
        long delivering = System.nanoTime();
        System.out.printf(
                "Kubernetes takeover: the leader stopped in %d ms, the standby delivered %d ms after its Pod was"
                        + " deleted%n",
                (stopped - stopping) / 1_000_000, (delivering - stopped) / 1_000_000);
        assertThat(consumer(standby).getDeliveredCount()).isEqualTo(5);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(standbyId);
    }

    private Main replica(String id) throws Exception {
        client.pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(id)
                        .endMetadata()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        Main main = ConnectorsMain.create();
        Map.of(
                        "camel.management.enabled",
                        "false",
                        // the application's package holds this module's test route builders too
                        "camel.main.basePackageScanEnabled",
                        "false",
                        "camel.routeTemplate[" + CONNECTOR + "].templateId",
                        "eventstore-logger-sink",
                        "camel.routeTemplate[" + CONNECTOR + "].connectionString",
                        eventStore.connectionString(),
                        "camel.routeTemplate[" + CONNECTOR + "].stream",
                        "orders-1",
                        "camel.routeTemplate[" + CONNECTOR + "].initialPosition",
                        "earliest",
                        "connectors.cluster.service",
                        "kubernetes",
                        "connectors.cluster.kubernetes.masterUrl",
                        server.url("/"),
                        "connectors.cluster.kubernetes.namespace",
                        NAMESPACE,
                        "connectors.cluster.id",
                        id)
                .forEach(main::addInitialProperty);
        main.start();
        replicas.put(id, main);
        return main;
    }

    /** The Lease Camel keeps for the connector: its resource name prefix, then the leadership namespace. */
    private Lease lease() {
        return client.leases()
                .inNamespace(NAMESPACE)
                .withName("leaders-" + CONNECTOR)
                .get();
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
                .mapToObj(n -> EventDataBuilder.json(
                                "OrderPlaced", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                        .build())
                .toList();
    }
}
