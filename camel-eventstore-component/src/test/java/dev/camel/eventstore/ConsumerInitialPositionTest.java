package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.client;
import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.recording;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Where a subscription starts: the earliest event, the end of the log or of a stream (also one that does not exist
 * yet), or a position that is exclusive in both its text forms; then live events.
 */
class ConsumerInitialPositionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void initialPositionStartDeliversFromTheFirstEventThenLiveEvents() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            TestEvents.append(server, "orders-1", "Numbered", 0, 50);
            Recorder received = recording(
                    context,
                    "eventstore:$all?initialPosition=earliest&connectionString=" + server.connectionString(),
                    "live");
            context.start();
            await().atMost(WAIT).until(() -> received.size() >= 50);
            EventStoreConsumer consumer = consumer(context, "live");
            await().atMost(WAIT).until(() -> consumer.getState() == EventStoreConsumerState.LIVE);

            // appended through the network, after catch-up, in several appends to several streams
            EventStoreDBClient client = client(server);
            try {
                for (int n = 50; n < 100; n += 10) {
                    client.appendToStream(
                                    "orders-" + (n / 10),
                                    TestEvents.numbered("Numbered", n, 10).iterator())
                            .get(10, TimeUnit.SECONDS);
                }
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> received.size() >= 100);
            assertThat(received).hasSize(100);
            assertThat(received.numbers()).containsExactlyElementsOf(range(0, 100));
            assertThat(consumer.getState()).isEqualTo(EventStoreConsumerState.LIVE);
        }
    }

    @Test
    void initialPositionEndDeliversOnlyEventsAppendedAfterTheStart() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            TestEvents.append(server, "orders-1", "Numbered", 0, 20);
            TestEvents.append(server, "orders-2", "Numbered", 20, 20);
            Recorder all = new Recorder();
            Recorder stream = new Recorder();
            context.addRoutes(route(
                    "eventstore:$all?initialPosition=latest&connectionString=" + server.connectionString(),
                    "all",
                    all));
            context.addRoutes(route(
                    "eventstore:orders-1?initialPosition=latest&connectionString=" + server.connectionString(),
                    "stream",
                    stream));
            // the end of a stream that does not exist yet is its start
            Recorder missing = recording(
                    context,
                    "eventstore:orders-3?initialPosition=latest&connectionString=" + server.connectionString(),
                    "missing");
            context.start();
            // the consumers have read the head and subscribed
            await().atMost(WAIT).until(() -> server.activeSubscriptions() == 3);

            TestEvents.append(server, "orders-2", "Numbered", 100, 5);
            TestEvents.append(server, "orders-1", "Numbered", 105, 5);
            TestEvents.append(server, "orders-3", "Numbered", 110, 2);
            await().atMost(WAIT).until(() -> all.size() >= 12 && stream.size() >= 5 && missing.size() >= 2);
            assertThat(all.numbers()).containsExactlyElementsOf(range(100, 112));
            assertThat(stream.numbers()).containsExactlyElementsOf(range(105, 110));
            assertThat(stream)
                    .extracting(r -> r.header(EventStoreConstants.REVISION))
                    .containsExactly(20L, 21L, 22L, 23L, 24L);
            assertThat(missing.numbers()).containsExactly(110, 111);
            assertThat(missing)
                    .extracting(r -> r.header(EventStoreConstants.REVISION))
                    .containsExactly(0L, 1L);
        }
    }

    @Test
    void initialPositionInAllIsExclusiveInBothTextForms() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            TestEvents.append(server, "orders-1", "Numbered", 0, 5);
            TestEvents.append(server, "orders-2", "Numbered", 5, 5);
            List<Position> positions = new ArrayList<>();
            EventStoreDBClient client = client(server);
            try {
                for (ResolvedEvent e : client.readAll(ReadAllOptions.get().fromStart())
                        .get(10, TimeUnit.SECONDS)
                        .getEvents()) {
                    if (!e.getOriginalEvent().getEventType().startsWith("$")) {
                        positions.add(e.getOriginalEvent().getPosition());
                    }
                }
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
            assertThat(positions).hasSize(10);
            Position fourth = positions.get(4);
            Position sixth = positions.get(6);
            Recorder full = new Recorder();
            Recorder commitOnly = new Recorder();
            context.addRoutes(route(
                    "eventstore:$all?initialPosition=" + fourth.getCommitUnsigned() + "/" + fourth.getPrepareUnsigned()
                            + "&connectionString=" + server.connectionString(),
                    "full",
                    full));
            context.addRoutes(route(
                    "eventstore:$all?initialPosition=" + sixth.getCommitUnsigned() + "&connectionString="
                            + server.connectionString(),
                    "commit",
                    commitOnly));
            context.start();
            await().atMost(WAIT).until(() -> full.size() >= 5 && commitOnly.size() >= 3);
            assertThat(full.numbers()).containsExactly(5, 6, 7, 8, 9);
            assertThat(commitOnly.numbers()).containsExactly(7, 8, 9);

            // then live
            TestEvents.append(server, "orders-3", "Numbered", 10, 2);
            await().atMost(WAIT).until(() -> full.size() >= 7 && commitOnly.size() >= 5);
            assertThat(full.numbers()).containsExactly(5, 6, 7, 8, 9, 10, 11);
            assertThat(commitOnly.numbers()).containsExactly(7, 8, 9, 10, 11);
        }
    }

    @Test
    void startRevisionOfAStreamIsExclusive() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            TestEvents.append(server, "orders-1", "Numbered", 0, 10);
            TestEvents.append(server, "orders-2", "Numbered", 100, 10);
            Recorder received = recording(
                    context,
                    "eventstore:orders-1?initialPosition=4&connectionString=" + server.connectionString(),
                    "revision");
            context.start();
            await().atMost(WAIT).until(() -> received.size() >= 5);
            assertThat(received.numbers()).containsExactly(5, 6, 7, 8, 9);
            assertThat(received)
                    .extracting(r -> r.header(EventStoreConstants.REVISION))
                    .containsExactly(5L, 6L, 7L, 8L, 9L);

            TestEvents.append(server, "orders-2", "Numbered", 110, 1);
            TestEvents.append(server, "orders-1", "Numbered", 10, 1);
            await().atMost(WAIT).until(() -> received.size() >= 6);
            assertThat(received.numbers()).containsExactly(5, 6, 7, 8, 9, 10);
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = from; n < to; n++) {
            numbers.add(n);
        }
        return numbers;
    }
}
