package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application, run as the README documents it ({@code java -jar routes/target/eventstore-connectors.jar
 * -pl file:connectors.properties}, in the directory holding the file): its manifest's class path (target/lib) holds
 * everything camel-main, the templates and the logger sink need, against a testkit server in this JVM.
 */
class ConnectorsJarIT {
    static final Path JAR = Path.of("target", "eventstore-connectors.jar");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void runsTheConnectorOfThePropertiesFileAndStopsOnSigterm() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            try {
                // written before the start: read from the earliest position; the customer is filtered out
                for (int n = 0; n < 5; n++) {
                    ConnectorsApplicationTest.append(client, "orders-" + (n % 2), "OrderPlaced", n);
                }
                ConnectorsApplicationTest.append(client, "customers-1", "CustomerRegistered", 99);

                Files.write(
                        dir.resolve("connectors.properties"),
                        List.of(
                                "camel.management.port=" + ConnectorsApplicationTest.freePort(),
                                "camel.routeTemplate[orders-log].templateId=eventstore-logger-sink",
                                "camel.routeTemplate[orders-log].connectionString=" + server.connectionString(),
                                "camel.routeTemplate[orders-log].streamNamePrefixes=orders-",
                                "camel.routeTemplate[orders-log].initialPosition=earliest"));
                try (JavaProcess app = JavaProcess.startJar(
                        dir,
                        Map.of(),
                        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        JAR,
                        "-pl",
                        "file:connectors.properties")) {
                    app.awaitLine(
                            line -> line.contains("Connector orders-log: source eventstore:$all from earliest"), START);
                    app.awaitLine(line -> line.contains("1 connector(s) running"), START);
                    Supplier<List<Integer>> delivered =
                            () -> ConnectorsApplicationTest.logged(app).getOrDefault("orders-log", List.of());
                    await().atMost(START).until(() -> delivered.get().size() >= 5);
                    // written while it runs: delivered live, after the others
                    ConnectorsApplicationTest.append(client, "orders-1", "OrderPlaced", 5);
                    await().atMost(START).until(() -> delivered.get().size() >= 6);
                    // each event once, in the order of $all; nothing of the customer stream
                    assertThat(ConnectorsApplicationTest.logged(app)).containsOnlyKeys("orders-log");
                    assertThat(delivered.get()).containsExactly(0, 1, 2, 3, 4, 5);

                    assertThat(app.terminate(START)).isIn(0, 143);
                    assertThat(ConnectorsApplicationTest.output(app))
                            .anyMatch(line -> line.contains("Routes stopped (total:1"));
                }
            } finally {
                client.shutdown();
            }
        }
    }
}
