package dev.camel.eventstore.connectors.app;

import static dev.camel.eventstore.connectors.app.InProcessReplicas.CONNECTOR;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.active;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.check;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.consumer;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.events;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.processed;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.routeStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.main.Main;
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
    private static final String NAMESPACE = "connectors";

    /** The in-process API server and a client of it, from {@link EnableKubernetesMockClient}. */
    KubernetesMockServer server;

    KubernetesClient client;

    @Test
    void oneReplicaDeliversAndTheStandbyTakesOverFromTheCheckpoint() throws Exception {
        try (EventStoreTestServer eventStore = EventStoreTestServer.startDefault();
                InProcessReplicas replicas = new InProcessReplicas(
                        eventStore,
                        Map.of(
                                "connectors.cluster.service",
                                "kubernetes",
                                "connectors.cluster.kubernetes.masterUrl",
                                server.url("/"),
                                "connectors.cluster.kubernetes.namespace",
                                NAMESPACE))) {
            eventStore.append("orders-1", events(0, 10));
            Main a = replicas.start(readyPod("replica-a"));
            Main b = replicas.start(readyPod("replica-b"));

            await().atMost(WAIT).until(() -> active(a) != active(b));
            String leaderId = active(a) ? "replica-a" : "replica-b";
            Main leader = active(a) ? a : b;
            Main standby = leader == a ? b : a;
            await().atMost(WAIT).until(() -> processed(leader) == 9);
            assertThat(routeStatus(standby)).isEqualTo(ServiceStatus.Stopped);
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leaderId);
            HealthCheck.Result role = check(standby, "connector:" + CONNECTOR);
            assertThat(role.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(role.getMessage()).hasValue("standby");

            // a graceful stop stores the checkpoint but keeps the Lease: Camel hands it over only once the holder's
            // Pod is no longer Running and Ready, which Kubernetes does when the container has ended
            replicas.stop(leader);
            long stopped = System.nanoTime();
            client.pods().inNamespace(NAMESPACE).withName(leaderId).delete();
            eventStore.append("orders-1", events(10, 5));
            await().atMost(WAIT).until(() -> active(standby) && processed(standby) == 14);
            System.out.printf(
                    "Kubernetes takeover: the standby delivered %d ms after the leader's Pod was deleted%n",
                    (System.nanoTime() - stopped) / 1_000_000);
            assertThat(consumer(standby).getDeliveredCount()).isEqualTo(5);
            assertThat(lease().getSpec().getHolderIdentity()).isNotEqualTo(leaderId);
        }
    }

    /** Creates the replica's Pod, Running and Ready as Camel requires of a Lease holder; returns its name. */
    private String readyPod(String name) {
        client.pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
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
        return name;
    }

    /** The Lease Camel keeps for the connector: its resource name prefix, then the leadership namespace. */
    private Lease lease() {
        return client.leases()
                .inNamespace(NAMESPACE)
                .withName("leaders-" + CONNECTOR)
                .get();
    }
}
