package dev.camel.eventstore.examples.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-terminal walk-through of examples/README.md, each command in a JVM of its own against one testkit server:
 * a replica in Java DSL and one in YAML DSL (the two forms are interchangeable), orders placed with {@link
 * PlaceOrders}; SIGTERM, as Ctrl-C, to the active replica, and the other takes over.
 */
class HaCommandsTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    @Test
    void theStandbyTakesOverWhenTheActiveReplicaIsStopped() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            Map<String, String> environment = Map.of("ESDB_CONNECTION_STRING", server.connectionString());
            String root = dir.resolve("cluster").toString();
            JavaProcess a = JavaProcess.start(dir.resolve("a"), environment, JVM, HaExample.class, "replica-a", root);
            JavaProcess b =
                    JavaProcess.start(dir.resolve("b"), environment, JVM, HaYamlExample.class, "replica-b", root);
            try {
                a.awaitLine(line -> line.contains("replica 'replica-a', elected through file locks in " + root), START);
                b.awaitLine(line -> line.contains("Start another copy with another id"), START);

                placeOrder(environment, "3001");
                JavaProcess active = firstToAudit(a, b, "order-3001 OrderShipped");
                JavaProcess standby = active == a ? b : a;
                String standbyId = active == a ? "replica-b" : "replica-a";
                assertThat(standby.stdout())
                        .noneMatch(line -> line.contains(" audits "))
                        .noneMatch(line -> line.contains("claimed it"));

                assertThat(active.terminate(Duration.ofSeconds(30))).isEqualTo(143);
                assertThat(active.stderr()).isEmpty();

                placeOrder(environment, "3002");
                standby.awaitLine(line -> line.contains("Loaded checkpoint") && line.contains("claimed it"), START);
                standby.awaitLine(line -> line.contains(standbyId + " audits order-3002 OrderShipped"), START);
                // after the checkpoint: the first order is not audited again
                assertThat(standby.stdout().stream().filter(line -> line.contains(" audits ")))
                        .hasSize(3)
                        .allMatch(line -> line.contains(standbyId + " audits order-3002 "));
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** Runs the documented command that writes an order's three events. */
    private void placeOrder(Map<String, String> environment, String orderId) {
        JavaProcess place = JavaProcess.start(dir.resolve(orderId), environment, JVM, PlaceOrders.class, orderId);
        try {
            assertThat(place.awaitExit(START)).isZero();
            assertThat(place.stdout()).contains("wrote OrderShipped to order-" + orderId);
        } finally {
            place.close();
        }
    }

    /** The replica that audits the event: the elected one, whichever it is. */
    private static JavaProcess firstToAudit(JavaProcess a, JavaProcess b, String event) {
        await().atMost(START).until(() -> audits(a, event) || audits(b, event));
        return audits(a, event) ? a : b;
    }

    private static boolean audits(JavaProcess replica, String event) {
        return replica.stdout().stream().anyMatch(line -> line.contains(" audits " + event));
    }
}
