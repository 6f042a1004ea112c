package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.client;
import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.recording;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The server-side filters of $all subscriptions, system events, and the position a filtered consumer reaches. */
class ConsumerFilterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void streamNamePrefixesAreLiteralPrefixes() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            String[] streams = {
                "orders-1", // 0 yes
                "xorders-1", // 1 no: contains the prefix, does not start with it
                "payments-7", // 2 yes
                "aXb-1", // 3 no: the dot of "a.b" is not a wildcard
                "a.b-1", // 4 yes
                "other", // 5 no
                "Orders-2", // 6 no: case matters
                "orders-2", // 7 yes
                "xa.b", // 8 no
                "a.bc" // 9 yes, and last: once it arrived, everything before it was delivered or left out
            };
            for (int n = 0; n < streams.length; n++) {
                server.append(streams[n], TestEvents.numbered("Numbered", n, 1));
            }
            Recorder received = startOnAll(server, context, "streamNamePrefixes=orders-,a.b,payments-", "prefixes");

            awaitNumber(received, 9);
            assertThat(received.numbers()).containsExactly(0, 2, 4, 7, 9);
            assertThat(received)
                    .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                    .containsExactly("orders-1", "payments-7", "a.b-1", "orders-2", "a.bc");
        }
    }

    @Test
    void streamNameRegexIsUnanchoredLikeTheServers() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            String[] streams = {
                "orders-eu-1", // 0 yes, matched in the middle
                "orders-us-1", // 1 no
                "pay-eu-22", // 2 yes
                "orders-eu-x", // 3 no
                "eu-1", // 4 no: the regex wants a dash before "eu"
                "orders-eu-3" // 5 yes
            };
            for (int n = 0; n < streams.length; n++) {
                server.append(streams[n], TestEvents.numbered("Numbered", n, 1));
            }
            Recorder received = startOnAll(server, context, "streamNameRegex=RAW(-eu-[0-9]+$)", "regex");

            awaitNumber(received, 5);
            assertThat(received.numbers()).containsExactly(0, 2, 5);
        }
    }

    @Test
    void eventTypePrefixesAreLiteralPrefixes() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            String[] types = {
                "OrderPlaced", // 0 yes
                "XOrderPlaced", // 1 no
                "PaymentTaken", // 2 yes
                "Shipped", // 3 no
                "orderPlaced", // 4 no: case matters
                "Order", // 5 yes
                "Order.Placed", // 6 yes
                "PaymentRefunded" // 7 yes
            };
            for (int n = 0; n < types.length; n++) {
                server.append("stream-" + n % 3, TestEvents.numbered(types[n], n, 1));
            }
            Recorder received = startOnAll(server, context, "eventTypePrefixes=Order,Payment", "types");

            awaitNumber(received, 7);
            assertThat(received.numbers()).containsExactly(0, 2, 5, 6, 7);
            assertThat(received)
                    .extracting(r -> r.header(EventStoreConstants.EVENT_TYPE))
                    .containsExactly("OrderPlaced", "PaymentTaken", "Order", "Order.Placed", "PaymentRefunded");
        }
    }

    @Test
    void eventTypeRegexLeavesOutSystemTypesUnlessTheyAreWanted() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            String[] types = {
                "OrderPlaced", // 0 yes
                "PlacedOrder", // 1 no
                "$Placed", // 2 a system type: only when system events are included
                "ItemPlaced", // 3 yes
                "Shipped", // 4 no
                "Placed" // 5 yes
            };
            for (int n = 0; n < types.length; n++) {
                server.append("stream-" + n % 2, TestEvents.numbered(types[n], n, 1));
            }
            Recorder withoutSystem = new Recorder();
            Recorder withSystem = new Recorder();
            String uri = "eventstore:$all?eventTypeRegex=RAW(Placed$)&connectionString=" + server.connectionString();
            context.addRoutes(route(uri, "without-system", withoutSystem));
            context.addRoutes(route(uri + "&excludeSystemEvents=false", "with-system", withSystem));
            context.start();

            awaitNumber(withoutSystem, 5);
            awaitNumber(withSystem, 5);
            assertThat(withoutSystem.numbers()).containsExactly(0, 3, 5);
            assertThat(withSystem.numbers()).containsExactly(0, 2, 3, 5);
        }
    }

    @Test
    void systemEventsOfAllAreLeftOutByDefaultAndDeliveredOnRequest() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            EventStoreDBClient client = client(server);
            try {
                client.appendToStream(
                                "orders-1",
                                TestEvents.numbered("Numbered", 0, 1).iterator())
                        .get(10, TimeUnit.SECONDS);
                StreamMetadata metadata = new StreamMetadata();
                metadata.setMaxCount(100L);
                client.setStreamMetadata("orders-1", metadata).get(10, TimeUnit.SECONDS);
                client.appendToStream(
                                "orders-1",
                                TestEvents.numbered("Numbered", 1, 1).iterator())
                        .get(10, TimeUnit.SECONDS);
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
            Recorder byDefault = new Recorder();
            Recorder excluded = new Recorder();
            Recorder included = new Recorder();
            String uri = "eventstore:$all?connectionString=" + server.connectionString();
            context.addRoutes(route(uri, "default", byDefault));
            context.addRoutes(route(uri + "&excludeSystemEvents=true", "excluded", excluded));
            context.addRoutes(route(uri + "&excludeSystemEvents=false", "included", included));
            context.start();

            await().atMost(WAIT).until(() -> byDefault.size() >= 2 && excluded.size() >= 2 && included.size() >= 5);
            for (Recorder r : List.of(byDefault, excluded)) {
                assertThat(r.numbers()).containsExactly(0, 1);
            }
            assertThat(included)
                    .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                    .containsExactly("$$$scavenges", "$$$stats-127.0.0.1:2113", "orders-1", "$$orders-1", "orders-1");
            assertThat(included)
                    .extracting(r -> r.header(EventStoreConstants.EVENT_TYPE))
                    .containsExactly("$metadata", "$metadata", "Numbered", "$metadata", "Numbered");
            assertThat(new String((byte[]) included.get(3).body, StandardCharsets.UTF_8))
                    .contains("\"$maxCount\":100");

            // the left-out events are behind the consumer too: its position is the last event's
            for (String routeId : List.of("default", "excluded", "included")) {
                EventStoreConsumer consumer = consumer(context, routeId);
                await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.getProcessedPosition())
                        .isEqualTo(SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition())));
            }
        }
    }

    @Test
    void aStreamNameFilterLeavesSystemEventsOutInTheConsumer() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            Recorder excluded = new Recorder();
            Recorder included = new Recorder();
            // "orders-1" also matches the metastream "$$orders-1": the server cannot filter on the name and the
            // type at once, so the consumer drops the system events itself
            String uri = "eventstore:$all?streamNameRegex=orders-1&connectionString=" + server.connectionString();
            context.addRoutes(route(uri, "excluded", excluded));
            context.addRoutes(route(uri + "&excludeSystemEvents=false", "included", included));
            context.start();
            // caught up with the seeded system events: the server's checkpoint on going live covers them
            SubscriptionPosition seeded = SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition());
            for (String routeId : List.of("excluded", "included")) {
                EventStoreConsumer consumer = consumer(context, routeId);
                await().atMost(WAIT).until(() -> seeded.equals(consumer.getProcessedPosition()));
            }

            // live now: no server checkpoint for 32 events, so only the consumer moves the position
            server.append("orders-1", TestEvents.numbered("Numbered", 0, 2));
            EventStoreDBClient client = client(server);
            try {
                StreamMetadata metadata = new StreamMetadata();
                metadata.setMaxCount(100L);
                client.setStreamMetadata("orders-1", metadata).get(10, TimeUnit.SECONDS);
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
            SubscriptionPosition last = SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition());

            await().atMost(WAIT).until(() -> included.size() >= 3);
            assertThat(included)
                    .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                    .containsExactly("orders-1", "orders-1", "$$orders-1");
            assertThat(included.get(2).header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$metadata");

            // the dropped $metadata event is the newest in the log: reaching its position means it was passed over
            EventStoreConsumer consumer = consumer(context, "excluded");
            await().atMost(WAIT).until(() -> last.equals(consumer.getProcessedPosition()));
            assertThat(excluded.numbers()).containsExactly(0, 1);
            assertThat(excluded)
                    .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                    .containsOnly("orders-1");
        }
    }

    @Test
    void aFilterThatMatchesNothingStillAdvancesThePositionThroughCheckpoints() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            // a checkpoint every 5 x 2 = 10 events read, matched or not
            TestEvents.append(server, "orders-1", "Numbered", 0, 20);
            // each probe event that matches records where the consumer stood when it was routed: markers and
            // events are handled in log order, so that is exactly the last checkpoint before the probe
            List<String> probes = new CopyOnWriteArrayList<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // no liveness check: it re-subscribes a quiet subscription, whose checkpoint on catching up
                    // would move the position without the server's interval checkpoints
                    from("eventstore:$all?streamNamePrefixes=probe-&checkpointWindow=5"
                                    + "&checkpointIntervalMultiplier=2&livenessCheckInterval=0&connectionString="
                                    + server.connectionString())
                            .routeId("nothing")
                            .process(e ->
                                    probes.add(TestEvents.number(e.getMessage().getBody(byte[].class)) + " at "
                                            + consumer(context, "nothing").getProcessedPosition()));
                }
            });
            context.start();
            EventStoreConsumer consumer = consumer(context, "nothing");
            List<SubscriptionPosition> positions = positions(server);
            Set<SubscriptionPosition> observed = new LinkedHashSet<>();

            // catch-up: checkpoints after the 10th and the 20th event
            awaitPosition(consumer, positions.get(19), observed);
            assertThat(observed).isSubsetOf(SubscriptionPosition.START, positions.get(9), positions.get(19));

            // live: 30 more events, checkpoints after the 30th, 40th and 50th
            TestEvents.append(server, "orders-2", "Numbered", 20, 30);
            positions = positions(server);
            observed.clear();
            awaitPosition(consumer, positions.get(49), observed);
            assertThat(observed).isSubsetOf(positions.get(19), positions.get(29), positions.get(39), positions.get(49));
            assertThat(probes).isEmpty();

            // 5 more events and a probe (the 56th): no checkpoint since the 50th; 4 more (the 60th is
            // checkpointed) and a second probe
            TestEvents.append(server, "orders-3", "Numbered", 50, 5);
            TestEvents.append(server, "probe-1", "Numbered", 55, 1);
            TestEvents.append(server, "orders-4", "Numbered", 56, 4);
            TestEvents.append(server, "probe-1", "Numbered", 60, 1);
            positions = positions(server);
            await().atMost(WAIT).until(() -> probes.size() >= 2);
            assertThat(probes).containsExactly("55 at " + positions.get(49), "60 at " + positions.get(59));
            // the last probe completed: the position is the newest event's
            SubscriptionPosition last = SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition());
            await().atMost(WAIT).until(() -> last.equals(consumer.getProcessedPosition()));
        }
    }

    @Test
    void filtersAreRejectedOnAStreamEndpoint() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            for (String filter : List.of(
                    "streamNamePrefixes=orders-",
                    "streamNameRegex=orders",
                    "eventTypePrefixes=Order",
                    "eventTypeRegex=Order")) {
                try (DefaultCamelContext context = new DefaultCamelContext()) {
                    context.addRoutes(route(
                            "eventstore:orders-1?" + filter + "&connectionString=" + server.connectionString(),
                            "stream",
                            new Recorder()));
                    assertThatThrownBy(context::start)
                            .as(filter)
                            .rootCause()
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining(filter.substring(0, filter.indexOf('=')))
                            .hasMessageContaining("apply to $all only, not to the stream 'orders-1'");
                }
            }
            assertThat(server.activeSubscriptions()).isZero();
        }
    }

    // ---- helpers ----

    /** Waits until an event numbered {@code n} has arrived (the last one each test expects). */
    private static void awaitNumber(Recorder received, int n) {
        await().atMost(WAIT).until(() -> received.numbers().contains(n));
    }

    /** Waits for the processed position, noting every value seen on the way (polled every millisecond). */
    private static void awaitPosition(
            EventStoreConsumer consumer, SubscriptionPosition expected, Set<SubscriptionPosition> observed) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> {
            SubscriptionPosition now = consumer.getProcessedPosition();
            if (now != null) {
                observed.add(now);
            }
            return expected.equals(now);
        });
    }

    /** The positions of all events in $all, in order. */
    private static List<SubscriptionPosition> positions(EventStoreTestServer server) throws Exception {
        List<SubscriptionPosition> positions = new ArrayList<>();
        EventStoreDBClient client = client(server);
        try {
            for (ResolvedEvent e : client.readAll(
                            ReadAllOptions.get().fromStart().maxCount(10_000))
                    .get(10, TimeUnit.SECONDS)
                    .getEvents()) {
                Position p = e.getOriginalEvent().getPosition();
                positions.add(SubscriptionPosition.ofAll(p));
            }
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
        return positions;
    }

    /** A route from $all with the options to a new recorder, the context started. */
    private static Recorder startOnAll(
            EventStoreTestServer server, CamelContext context, String options, String routeId) throws Exception {
        Recorder recorder = recording(
                context, "eventstore:$all?" + options + "&connectionString=" + server.connectionString(), routeId);
        context.start();
        return recorder;
    }
}
