package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.WriteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.connectors.ServerWithClient;
import dev.camel.eventstore.testkit.JavaProcess;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The connectors application as it is run: {@link ConnectorsMain} in its own JVM, configured by the example files
 * of {@code src/main/config} (copied to a temporary directory), against a testkit server in this JVM that requires
 * a password.
 *
 * <p>The example defines one connector in {@code connectors.properties} ({@code orders-log}) and one in {@code
 * connectors.yaml} ({@code order-audit}). The test gives the application what a deployment gives it: the connection
 * string, with the password, in the environment variable {@code ESDB_CONNECTION_STRING} (the file's own value
 * points at a server that does not exist, so nothing is read unless the variable wins), the YAML directory in
 * {@code CAMEL_MAIN_ROUTESINCLUDEPATTERN} (the file's pattern is relative to the repository root), and a free
 * management port.
 */
class ConnectorsApplicationTest {
    private static final String PASSWORD = "Secr3t-pw7Q";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LOGGED = Pattern.compile("esdb-connector-id=([\\w-]+).*Body: \\{\"n\":(\\d+)}");
    private static final Pattern RESUME = Pattern.compile(
            "\\(route ([\\w-]+)\\) resumes after its stored position (\\d+)/(\\d+) \\(key '([\\w-]+)'\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ServerWithClient EVENT_STORE = ServerWithClient.withUser("admin", PASSWORD);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void runsTheConnectorsOfBothFilesReportsHealthAndMetricsAndResumesAfterARestart() throws Exception {
        int port = freePort();
        Path properties = configuration("camel.management.port=" + port);
        assertThat(EVENT_STORE.server().connectionString()).contains(PASSWORD);

        List<Position> positions = new ArrayList<>();
        List<String> firstOutput;
        try (JavaProcess app = start("first", properties)) {
            // the startup report: one line per connector, from the properties file and from the YAML file
            app.awaitLine(
                    line -> line.contains("Connector orders-log: source eventstore:$all from earliest (when no"
                            + " checkpoint), filter streamNamePrefixes=orders-, excludeSystemEvents=true, sink"
                            + " log:connectors.orders at INFO, checkpoints in eventstore"),
                    START);
            app.awaitLine(
                    line -> line.contains("Connector order-audit: source eventstore:$all from latest (when no"
                            + " checkpoint), filter eventTypePrefixes=Order, excludeSystemEvents=true, sink"
                            + " log:connectors.audit at INFO, checkpoints in eventstore"),
                    START);
            app.awaitLine(line -> line.contains("2 connector(s) running"), START);
            app.awaitLine(
                    line -> line.contains("(route orders-log) starts after start (initialPosition; no stored"), WAIT);
            app.awaitLine(
                    line -> line.contains("(route order-audit) starts after ") && line.contains("the end of the log"),
                    WAIT);

            // orders of two streams, interleaved; an event neither connector takes
            for (int n = 0; n < 10; n++) {
                positions.add(append("orders-" + (n % 2), "OrderPlaced", n));
            }
            append("customers-1", "CustomerRegistered", 99);
            Map<String, List<Integer>> logged = awaitLogged(app, 10);
            assertThat(logged.get("orders-log")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(logged.get("order-audit")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            // the YAML connector's default header is on each of its lines, and only on them
            assertThat(app.stdout())
                    .filteredOn(line -> line.contains("audit-source=eventstore"))
                    .hasSize(10)
                    .allMatch(line -> line.contains("esdb-connector-id=order-audit"));

            assertHealth(port, positions.get(9));
            assertMetrics(port);

            // SIGTERM: camel-main stops the routes gracefully, and each consumer stores its last position
            assertThat(app.terminate(WAIT)).isIn(0, 143);
            firstOutput = output(app);
            assertThat(firstOutput).anyMatch(line -> line.contains("Routes stopped (total:2"));
        }

        // written while the application is down
        for (int n = 10; n < 15; n++) {
            positions.add(append("orders-" + (n % 2), "OrderPlaced", n));
        }
        String ordersCheckpoint = storedCheckpoint("orders-log");
        String auditCheckpoint = storedCheckpoint("order-audit");

        List<String> secondOutput;
        try (JavaProcess app = start("second", properties)) {
            Map<String, String> resumedAt = new LinkedHashMap<>();
            for (String connector : List.of("orders-log", "order-audit")) {
                Matcher resume = RESUME.matcher(app.awaitLine(
                        line -> line.contains("(route " + connector + ") resumes after its stored position"), START));
                assertThat(resume.find()).isTrue();
                assertThat(resume.group(4)).isEqualTo(connector);
                Position stored = new Position(Long.parseLong(resume.group(2)), Long.parseLong(resume.group(3)));
                // the last event read before the stop, or a later position of $all the filter let pass; never an
                // event written while it was down
                assertThat(stored.compareTo(positions.get(9))).isGreaterThanOrEqualTo(0);
                assertThat(stored.compareTo(positions.get(10))).isLessThan(0);
                resumedAt.put(connector, resume.group(2) + "/" + resume.group(3));
            }
            // the position logged is the one the checkpoint stream holds
            assertThat(resumedAt).containsEntry("orders-log", ordersCheckpoint);
            assertThat(resumedAt).containsEntry("order-audit", auditCheckpoint);

            awaitLogged(app, 5);
            positions.add(append("orders-7", "OrderPlaced", 15));
            Map<String, List<Integer>> logged = awaitLogged(app, 6);
            // everything after the stored position, once: nothing lost, nothing repeated
            assertThat(logged.get("orders-log")).containsExactly(10, 11, 12, 13, 14, 15);
            assertThat(logged.get("order-audit")).containsExactly(10, 11, 12, 13, 14, 15);

            assertThat(app.terminate(WAIT)).isIn(0, 143);
            secondOutput = output(app);
            assertThat(secondOutput).anyMatch(line -> line.contains("Routes stopped (total:2"));
        }

        // the password, given in the environment, is printed nowhere, in either run
        assertThat(firstOutput).isNotEmpty().noneMatch(line -> line.contains(PASSWORD));
        assertThat(secondOutput).isNotEmpty().noneMatch(line -> line.contains(PASSWORD));
    }

    /**
     * An invalid setting stops the application within seconds, with exit code 1 and a message naming the setting;
     * the other connector does not run meanwhile, and the password stays out of the output.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "camel.routeTemplate[orders-log].initialPosition=sideways|Invalid connector setting 'initialPosition':"
                        + " it must be earliest, latest or a position of $all",
                "camel.routeTemplate[orders-log].checkpointInterval=PT5S|Invalid connector setting"
                        + " 'checkpointInterval': it must be milliseconds or a duration such as 5s, got 'PT5S'",
                "camel.routeTemplate[orders-log].initialPosition=latest\\n"
                        + "camel.routeTemplate[orders-kafka].templateId=eventstore-kafka-sink\\n"
                        + "camel.routeTemplate[orders-kafka].connectionString={{esdb.connection-string}}\\n"
                        + "camel.routeTemplate[orders-kafka].topic=orders\\n"
                        + "camel.routeTemplate[orders-kafka].keyExtraction=bogus|Invalid connector setting"
                        + " 'keyExtraction': it must be one of none, stream, streamSuffix, regex, headers, got 'bogus'"
            })
    void anInvalidSettingStopsStartupWithAMessageNamingIt(String setting, String message) throws Exception {
        Path properties = configuration("camel.management.port=" + freePort(), setting.replace("\\n", "\n"));
        long started = System.nanoTime();
        try (JavaProcess app = start("invalid", properties)) {
            int exit = app.awaitExit(WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String stderr = app.stderr();
            assertThat(exit).as("exit code; stderr: " + stderr).isEqualTo(1);
            assertThat(stderr).contains("eventstore-connectors did not start: " + message);
            assertThat(took).isLessThan(Duration.ofSeconds(20));
            assertThat(app.stdout()).noneMatch(line -> LOGGED.matcher(line).find());
            assertThat(output(app)).noneMatch(line -> line.contains(PASSWORD));
        }
    }

    // ---- the application ----

    /**
     * The example files in a temporary directory, the properties with test settings appended (a later key wins in a
     * properties file).
     */
    private Path configuration(String... extraLines) throws IOException {
        Path examples = Path.of("src", "main", "config");
        Path properties = dir.resolve("connectors.properties");
        List<String> lines = new ArrayList<>(Files.readAllLines(examples.resolve("connectors.properties")));
        lines.add("");
        lines.add("# ---- added by the test ----");
        lines.addAll(List.of(extraLines));
        Files.write(properties, lines);
        Files.copy(examples.resolve("connectors.yaml"), dir.resolve("connectors.yaml"));
        return properties;
    }

    private JavaProcess start(String name, Path properties) {
        return JavaProcess.start(
                dir.resolve(name),
                Map.of(
                        "ESDB_CONNECTION_STRING",
                        EVENT_STORE.server().connectionString(),
                        "CAMEL_MAIN_ROUTESINCLUDEPATTERN",
                        "file:" + dir.toAbsolutePath() + "/*.yaml"),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                ConnectorsMain.class,
                "-pl",
                "file:" + properties.toAbsolutePath());
    }

    /** Standard output, then standard error. */
    static List<String> output(JavaProcess app) {
        List<String> all = new ArrayList<>(app.stdout());
        all.addAll(app.stderr().lines().toList());
        return all;
    }

    /** Waits until each connector has logged at least {@code count} events; returns the numbers each logged. */
    private static Map<String, List<Integer>> awaitLogged(JavaProcess app, int count) {
        await().atMost(WAIT).until(() -> {
            Map<String, List<Integer>> logged = logged(app);
            return logged.values().stream()
                            .filter(numbers -> numbers.size() >= count)
                            .count()
                    == 2;
        });
        return logged(app);
    }

    /** The numbers each connector logged so far, in the order it logged them, by connector id. */
    static Map<String, List<Integer>> logged(JavaProcess app) {
        Map<String, List<Integer>> logged = new LinkedHashMap<>();
        for (String line : app.stdout()) {
            Matcher m = LOGGED.matcher(line);
            if (m.find()) {
                logged.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
        }
        return logged;
    }

    // ---- health and metrics ----

    private static void assertHealth(int port, Position last) {
        String expected = last.getCommitUnsigned() + "/" + last.getPrepareUnsigned();
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> response = get(port, "/observe/health?data=true");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).doesNotContain(PASSWORD);
            JsonNode health = JSON.readTree(response.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            Map<String, JsonNode> checks = new LinkedHashMap<>();
            health.path("checks").forEach(check -> checks.put(check.path("name").asText(), check));
            for (String connector : List.of("orders-log", "order-audit")) {
                JsonNode check = checks.get("consumer:eventstore-" + connector);
                assertThat(check).as(connector + " in " + checks.keySet()).isNotNull();
                assertThat(check.path("status").asText()).isEqualTo("UP");
                assertThat(check.path("data").path("state").asText()).isEqualTo("LIVE");
                assertThat(check.path("data").path("route.id").asText()).isEqualTo(connector);
            }
            // everything up to the last order has been processed by the connector that reads orders only
            assertThat(checks.get("consumer:eventstore-orders-log")
                            .path("data")
                            .path("position.processed")
                            .asText())
                    .isEqualTo(expected);
        });
    }

    private static void assertMetrics(int port) {
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> response = get(port, "/observe/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            String body = response.body();
            assertThat(body).contains("# TYPE camel_exchanges_total counter").doesNotContain(PASSWORD);
            for (String connector : List.of("orders-log", "order-audit")) {
                Matcher total = Pattern.compile(
                                "(?m)^camel_exchanges_total\\{[^}]*routeId=\"" + connector + "\"[^}]*} ([0-9.E]+)$")
                        .matcher(body);
                assertThat(total.find())
                        .as("camel_exchanges_total of " + connector)
                        .isTrue();
                assertThat(Double.parseDouble(total.group(1))).isEqualTo(10.0);
            }
        });
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- EventStoreDB ----

    private static Position append(String stream, String type, int n) throws Exception {
        return append(EVENT_STORE.client(), stream, type, n);
    }

    /** Appends {@code {"n":n}}, as the connectors log it. */
    static Position append(EventStoreDBClient client, String stream, String type, int n) throws Exception {
        WriteResult result = client.appendToStream(
                        stream,
                        EventDataBuilder.json(type, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                                .build())
                .get(10, TimeUnit.SECONDS);
        return result.getLogPosition();
    }

    /** The position in the newest checkpoint of a connector, as EventStoreResumeStrategy writes it. */
    private static String storedCheckpoint(String connector) throws Exception {
        RecordedEvent newest = StreamReads.newest(EVENT_STORE.client(), "camel-checkpoint-" + connector)
                .orElseThrow();
        JsonNode checkpoint = JSON.readTree(newest.getEventData());
        assertThat(checkpoint.path("key").asText()).isEqualTo(connector);
        return checkpoint.path("position").asText();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
