package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3: the EventStoreDB server unreachable for longer than the client's discovery attempts. The connectors
 * application, delivering over HTTP, must report the outage (health DOWN with the reason, one WARN line), recover
 * by itself when the server is back, and deliver what was written meanwhile and after, each event once, in order.
 */
class LongOutageTest {
    private static final int BEFORE = Scale.of(500);
    private static final int DURING = Scale.of(500);
    private static final int AFTER = Scale.of(500);
    private static final Duration OUTAGE = Duration.ofSeconds(Scale.of(10));
    private static final String CONNECTOR = "outage";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void aLongOutageIsReportedOnceAndSurvivedWithEveryEventDeliveredOnceInOrder() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                HttpTestReceiver receiver = HttpTestReceiver.http()) {
            Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
            receiver.holdWith(n -> arrivals.put(n, System.currentTimeMillis()));
            append(server, 0, BEFORE);
            int port = Management.freePort();
            HealthEndpoint health = new HealthEndpoint(port);
            try (ConnectorApp app = ConnectorApp.start(work.resolve("app"), properties(server, receiver, port))) {
                await().atMost(WAIT).until(() -> receiver.accepted().size() == BEFORE);
                await().atMost(WAIT).until(() -> health.check(CONNECTOR).state().equals("LIVE"));
                int linesBefore = app.stdout().size();

                long stoppedAt = System.currentTimeMillis();
                server.stop();
                append(server, BEFORE, DURING);
                Set<String> reasons = new LinkedHashSet<>();
                Set<String> states = new LinkedHashSet<>();
                await().atMost(OUTAGE.plus(WAIT))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            HealthEndpoint.Check check = health.check(CONNECTOR);
                            states.add(check.status() + "/" + check.state());
                            if (!check.up()) {
                                reasons.add(check.message());
                            }
                            return System.currentTimeMillis() - stoppedAt >= OUTAGE.toMillis()
                                    && check.reconnects() >= 3
                                    && reasons.stream().anyMatch(r -> r != null && r.contains("shut down"));
                        });
                HealthEndpoint.Check during = health.check(CONNECTOR);
                assertThat(receiver.requests()).hasSize(BEFORE);
                long startedAt = System.currentTimeMillis();
                server.start();
                await().atMost(WAIT).until(() -> receiver.accepted().size() == BEFORE + DURING);
                long firstAfter = arrivals.get(BEFORE + 1);
                await().atMost(WAIT).until(() -> health.check(CONNECTOR).up());
                EventStoreDBClient client =
                        EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
                try {
                    for (int n = BEFORE + DURING; n < BEFORE + DURING + AFTER; n += 100) {
                        client.appendToStream(
                                        "outage-" + (n / 100 % 5),
                                        events(n, Math.min(100, BEFORE + DURING + AFTER - n))
                                                .iterator())
                                .get(10, TimeUnit.SECONDS);
                    }
                } finally {
                    client.shutdown().get(10, TimeUnit.SECONDS);
                }
                int written = BEFORE + DURING + AFTER;
                await().atMost(WAIT).until(() -> receiver.accepted().size() >= written);
                // nothing more arrives: no late duplicate from the subscription before the outage
                await().during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> receiver.accepted().size() == written);
                // each event once, in log order, by stream and revision (the sink's headers) as ServerFaultTest
                // checks its records; maxInFlight=1 (the default) keeps the order across streams too
                List<HttpTestReceiver.Request> accepted = List.copyOf(receiver.accepted());
                int duplicates = LogOrder.assertExactlyOnceInLogOrder(
                        accepted.stream()
                                .map(r -> new LogOrder.Delivery(
                                        r.header("esdb-record-stream-id"),
                                        Long.parseLong(r.header("esdb-record-stream-revision")),
                                        Long.parseLong(r.header("esdb-record-log-position"))))
                                .toList(),
                        perStream(written),
                        written);
                // and by the number each event carries: 0, 1, 2, ... in the order they were written
                assertThat(accepted)
                        .extracting(LongOutageTest::number)
                        .containsExactlyElementsOf(
                                IntStream.range(0, written).boxed().toList());
                long warnings = app.stdout().subList(linesBefore, app.stdout().size()).stream()
                        .filter(l -> l.contains(" WARN ") && l.contains("EventStoreConsumer"))
                        .count();
                assertThat(warnings)
                        .as("the outage is logged once by the consumer")
                        .isEqualTo(1);
                Results.record(
                        "long-outage",
                        "server stopped for %d ms (the client gives up after 2 discovery attempts): health %s during"
                                + " it (\"%s\", %d reconnects), 1 consumer WARN; the server back, first event after"
                                + " %d ms, health %s; %,d events before, %,d written while down, %,d after: %,d"
                                + " accepted, 0 lost, %d duplicated, log order kept",
                        startedAt - stoppedAt,
                        during.status() + "/" + during.state(),
                        during.message(),
                        during.reconnects(),
                        firstAfter - startedAt,
                        health.check(CONNECTOR).status(),
                        BEFORE,
                        DURING,
                        AFTER,
                        accepted.size(),
                        duplicates);
            }
        }
    }

    /** How many of the first {@code written} events each stream holds: batches of 100 round-robin over 5. */
    private static Map<String, Integer> perStream(int written) {
        Map<String, Integer> perStream = new HashMap<>();
        for (int n = 0; n < written; n += 100) {
            perStream.merge("outage-" + (n / 100 % 5), Math.min(100, written - n), Integer::sum);
        }
        return perStream;
    }

    /** The number in an event's data, {@code {"n":<number>}}. */
    private static int number(HttpTestReceiver.Request request) {
        String body = request.bodyText();
        return Integer.parseInt(
                body.substring(body.indexOf(':') + 1, body.indexOf('}')).trim());
    }

    private static void append(EventStoreTestServer server, int from, int count) {
        for (int n = from; n < from + count; n += 100) {
            server.append("outage-" + (n / 100 % 5), events(n, Math.min(100, from + count - n)));
        }
    }

    private static List<EventData> events(int from, int count) {
        List<EventData> events = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            events.add(EventDataBuilder.json("Numbered", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        return events;
    }

    private static String properties(EventStoreTestServer server, HttpTestReceiver receiver, int port) {
        return new AppProperties(port)
                .line("camel.component.eventstore.reconnectMaxDelay=2000")
                .connector(
                        CONNECTOR,
                        "eventstore-http-sink",
                        server.connectionString() + "&maxDiscoverAttempts=2&discoveryInterval=100",
                        "streamNamePrefixes=outage-",
                        "url=" + receiver.url("/events/{stream}"))
                .toString();
    }
}
