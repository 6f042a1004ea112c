package dev.camel.eventstore.connectors.app;

import static dev.camel.eventstore.connectors.app.InProcessReplicas.CONNECTOR;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.active;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.check;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.events;
import static dev.camel.eventstore.connectors.app.InProcessReplicas.processed;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.zookeeper.ZooKeeperTestServer;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * Two replicas elected through a real ZooKeeper (the testkit's, in this JVM). Restarting ZooKeeper makes the
 * replicas leave Camel's election (its view does not requeue after a lost connection); they rejoin it, one delivers
 * again, and the other is in the election too: it takes over from the checkpoint when the first stops.
 */
class ZooKeeperClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void replicasRejoinTheElectionAfterZooKeeperRestarts() throws Exception {
        try (ZooKeeperTestServer zooKeeper =
                        ZooKeeperTestServer.builder().build().start();
                EventStoreTestServer server = EventStoreTestServer.startDefault();
                InProcessReplicas replicas = new InProcessReplicas(
                        server,
                        Map.of(
                                "connectors.cluster.service",
                                "zookeeper",
                                "connectors.cluster.zookeeper.nodes",
                                zooKeeper.connectString(),
                                "connectors.cluster.zookeeper.sessionTimeout",
                                "4s",
                                "camel.routeTemplate[" + CONNECTOR + "].checkpointRecordsThreshold",
                                "1"))) {
            server.append("orders-1", events(0, 10));
            Main a = replicas.start("replica-a");
            await().atMost(WAIT).until(() -> active(a) && processed(a) == 9);
            Main b = replicas.start("replica-b");
            await().atMost(WAIT).until(() -> check(b, "connector:" + CONNECTOR)
                    .getMessage()
                    .orElse("")
                    .equals("standby"));

            zooKeeper.restart();
            server.append("orders-1", events(10, 5));
            await().atMost(WAIT).until(() -> active(a) != active(b) && processed(active(a) ? a : b) == 14);
            // both back in the election, as ZooKeeper lists it
            await().atMost(WAIT).until(() -> electionMembers(a) == 2 && electionMembers(b) == 2);

            Main leader = active(a) ? a : b;
            Main standby = leader == a ? b : a;
            replicas.stop(leader);
            server.append("orders-1", events(15, 5));
            await().atMost(WAIT).until(() -> active(standby) && processed(standby) == 19);
        }
    }

    /** How many replicas the connector's election lists, as this replica's view reads it from ZooKeeper. */
    private static int electionMembers(Main replica) throws Exception {
        CamelClusterService service = replica.getCamelContext().hasService(CamelClusterService.class);
        CamelClusterView view = service.getView(CONNECTOR);
        try {
            return view.getMembers().size();
        } finally {
            service.releaseView(view);
        }
    }
}
