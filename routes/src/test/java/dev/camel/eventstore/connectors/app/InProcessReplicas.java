package dev.camel.eventstore.connectors.app;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;

/**
 * Replicas of the connectors application in this JVM, each a {@link ConnectorsMain} with the logger connector
 * {@value #CONNECTOR} on stream {@code orders-1} and the given cluster settings, and what the tests ask of them.
 */
final class InProcessReplicas implements AutoCloseable {
    static final String CONNECTOR = "orders-log";

    private final EventStoreTestServer server;
    private final Map<String, String> shared;
    private final Map<String, Main> running = new LinkedHashMap<>();

    /** @param shared the settings every replica has besides the connector's: the {@code connectors.cluster.*} ones */
    InProcessReplicas(EventStoreTestServer server, Map<String, String> shared) {
        this.server = server;
        this.shared = shared;
    }

    /** Starts replica {@code id} with the shared settings and {@code more}. */
    Main start(String id, Map<String, String> more) throws Exception {
        Main main = ConnectorsMain.create();
        more.forEach(main::addInitialProperty);
        shared.forEach(main::addInitialProperty);
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
                        "connectors.cluster.id",
                        id)
                .forEach(main::addInitialProperty);
        try {
            main.start();
        } catch (Exception | Error e) {
            main.stop();
            throw e;
        }
        running.put(id, main);
        return main;
    }

    Main start(String id) throws Exception {
        return start(id, Map.of());
    }

    /** Stops a replica gracefully: it stores its checkpoint and leaves the election. */
    void stop(Main replica) {
        replica.stop();
        running.values().remove(replica);
    }

    /** Whether the connector's route runs on this replica. */
    static boolean active(Main main) {
        return routeStatus(main) == ServiceStatus.Started;
    }

    static ServiceStatus routeStatus(Main main) {
        CamelContext context = main.getCamelContext();
        return context == null ? null : context.getRouteController().getRouteStatus(CONNECTOR);
    }

    static EventStoreConsumer consumer(Main main) {
        return (EventStoreConsumer) main.getCamelContext().getRoute(CONNECTOR).getConsumer();
    }

    /** The revision of {@code orders-1} the replica's connector has processed, or -1. */
    static long processed(Main main) {
        var position = consumer(main).getProcessedPosition();
        return position == null || position.isStart() ? -1 : position.revision();
    }

    /** The revision of {@code orders-1} the replica's connector last stored or loaded as its checkpoint, or -1. */
    static long stored(Main main) {
        var position = consumer(main).getCheckpointPosition();
        return position == null ? -1 : position.revision();
    }

    static HealthCheck.Result check(Main main, String id) {
        return HealthCheckHelper.invoke(main.getCamelContext()).stream()
                .filter(r -> r.getCheck().getId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + id));
    }

    /** JSON events {@code {"n":from}} to {@code {"n":from + count - 1}}. */
    static List<EventData> events(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(n -> EventDataBuilder.json(
                                "OrderPlaced", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                        .build())
                .toList();
    }

    @Override
    public void close() {
        running.values().forEach(Main::stop);
        running.clear();
    }
}
