package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.WriteResult;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.junit.jupiter.api.Test;

/**
 * What the consumer delivers and how: order, completeness, headers, body conversions, links, start positions and
 * live events, against the testkit server through the real client.
 */
class ConsumerDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    // ---- order and completeness at volume ----

    @Test
    void deliversHundredThousandEventsFromAllInOrderWithoutDuplicates() throws Exception {
        int streams = 100;
        int perBatch = 10;
        int total = 100_000;
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            // batches of 10 rotate over 100 streams, so $all interleaves the streams; the numbers follow $all order
            for (int n = 0; n < total; n += perBatch) {
                server.append(stream(n / perBatch % streams), TestEvents.numbered("Numbered", n, perBatch));
            }
            List<Seen> seen = Collections.synchronizedList(new ArrayList<>(total + 1));
            context.addRoutes(route("eventstore:$all?connectionString=" + server.connectionString(), "all", e -> {
                seen.add(Seen.of(e));
            }));
            long started = System.nanoTime();
            context.start();

            await().atMost(WAIT).until(() -> seen.size() >= total);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("ConsumerDeliveryTest: " + total + " events from $all in " + millis + " ms");

            List<Seen> copy = snapshot(seen);
            assertThat(copy).hasSize(total);
            long previousCommit = -1;
            Set<String> ids = new HashSet<>(total * 2);
            for (int i = 0; i < total; i++) {
                Seen s = copy.get(i);
                int batch = i / perBatch;
                // stream and revision as appended; commit positions strictly increasing; the position text
                if (s.n != i
                        || !s.stream.equals(stream(batch % streams))
                        || s.revision != (long) batch / streams * perBatch + i % perBatch
                        || s.commit <= previousCommit
                        || !s.position.equals(s.commit + "/" + s.prepare)) {
                    throw new AssertionError(
                            "exchange " + i + " was " + s + " after commit position " + previousCommit);
                }
                previousCommit = s.commit;
                ids.add(s.eventId);
            }
            assertThat(ids).as("distinct event ids").hasSize(total);

            // nothing else was in the pipeline: the next event appended is the very next exchange
            server.append("sentinel", TestEvents.numbered("Numbered", total, 1));
            await().atMost(WAIT).until(() -> seen.size() > total);
            List<Seen> after = snapshot(seen);
            assertThat(after).hasSize(total + 1);
            assertThat(after.get(total).n).isEqualTo(total);
            assertThat(after.get(total).stream).isEqualTo("sentinel");
            EventStoreConsumer consumer = consumer(context, "all");
            await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.getProcessedPosition())
                    .hasToString(after.get(total).position));
        }
    }

    @Test
    void deliversHundredThousandEventsOfOneStreamInOrderAndNothingElse() throws Exception {
        int total = 100_000;
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            for (int n = 0; n < total; n += 1000) {
                server.append("big-1", TestEvents.numbered("Numbered", n, 1000));
                // other streams, including one whose name starts with the subscribed one's, are interleaved
                server.append("big-10", TestEvents.numbered("Other", -1, 1));
                server.append("other", TestEvents.numbered("Other", -1, 1));
            }
            List<Seen> seen = Collections.synchronizedList(new ArrayList<>(total + 1));
            context.addRoutes(route("eventstore:big-1?connectionString=" + server.connectionString(), "one", e -> {
                seen.add(Seen.of(e));
            }));
            long started = System.nanoTime();
            context.start();

            await().atMost(WAIT).until(() -> seen.size() >= total);
            System.out.println("ConsumerDeliveryTest: " + total + " events from one stream in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            List<Seen> copy = snapshot(seen);
            assertThat(copy).hasSize(total);
            for (int i = 0; i < total; i++) {
                Seen s = copy.get(i);
                if (s.n != i || s.revision != i || !s.stream.equals("big-1") || !s.position.equals(Long.toString(i))) {
                    throw new AssertionError("exchange " + i + " was " + s);
                }
            }

            server.append("other", TestEvents.numbered("Other", -1, 1));
            server.append("big-1", TestEvents.numbered("Numbered", total, 1));
            await().atMost(WAIT).until(() -> seen.size() > total);
            List<Seen> after = snapshot(seen);
            assertThat(after).hasSize(total + 1);
            assertThat(after.get(total).n).isEqualTo(total);
            assertThat(after.get(total).revision).isEqualTo(total);
            EventStoreConsumer consumer = consumer(context, "one");
            await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.getProcessedPosition())
                    .isEqualTo(SubscriptionPosition.ofRevision(total)));
        }
    }

    // ---- headers and body ----

    @Test
    void everyHeaderCarriesWhatWasAppended() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            EventStoreDBClient client = client(server);
            try {
                UUID jsonId = UUID.randomUUID();
                UUID binaryId = UUID.randomUUID();
                byte[] jsonData = "{\"id\":\"o-1\",\"amount\":42}".getBytes(StandardCharsets.UTF_8);
                // not JSON: the client adds its tracing ids to JSON metadata and to absent metadata
                byte[] userMetadata = "correlation=c-1".getBytes(StandardCharsets.UTF_8);
                byte[] binaryData = {0, 1, 2, (byte) 0xff, 127};
                Instant before = Instant.now();
                WriteResult first = client.appendToStream(
                                "orders-7",
                                appendOptions(ExpectedRevision.noStream()),
                                EventDataBuilder.json(jsonId, "OrderPlaced", jsonData)
                                        .metadataAsBytes(userMetadata)
                                        .build())
                        .get(10, TimeUnit.SECONDS);
                WriteResult second = client.appendToStream(
                                "orders-7",
                                appendOptions(ExpectedRevision.expectedRevision(0)),
                                EventDataBuilder.binary(binaryId, "Blob", binaryData)
                                        .metadataAsBytes(userMetadata)
                                        .build())
                        .get(10, TimeUnit.SECONDS);
                // written without the client: no user metadata at all
                server.append("plain-1", TestEvents.numbered("Numbered", 7, 1));
                Instant after = Instant.now();
                List<RecordedEvent> stored = new ArrayList<>();
                for (ResolvedEvent e : client.readAll(ReadAllOptions.get().fromStart())
                        .get(10, TimeUnit.SECONDS)
                        .getEvents()) {
                    stored.add(e.getOriginalEvent());
                }
                assertThat(stored).hasSize(3);

                Recorder received = new Recorder();
                context.addRoutes(
                        route("eventstore:$all?connectionString=" + server.connectionString(), "headers", received));
                context.start();
                await().atMost(WAIT).until(() -> received.size() >= 3);
                assertThat(received).hasSize(3);

                Received json = received.get(0);
                assertThat(json.body).isInstanceOf(byte[].class).isEqualTo(jsonData);
                assertThat(json.header(EventStoreConstants.EVENT_ID)).isEqualTo(jsonId.toString());
                assertThat(json.header(EventStoreConstants.STREAM_ID)).isEqualTo("orders-7");
                assertThat(json.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("OrderPlaced");
                assertThat(json.header(EventStoreConstants.REVISION)).isEqualTo(0L);
                assertThat(json.header(EventStoreConstants.COMMIT_POSITION))
                        .isEqualTo(first.getLogPosition().getCommitUnsigned());
                assertThat(json.header(EventStoreConstants.PREPARE_POSITION))
                        .isEqualTo(first.getLogPosition().getPrepareUnsigned());
                assertThat(json.header(EventStoreConstants.POSITION))
                        .isEqualTo(first.getLogPosition().getCommitUnsigned() + "/"
                                + first.getLogPosition().getPrepareUnsigned());
                assertThat(json.header(EventStoreConstants.CONTENT_TYPE)).isEqualTo("application/json");
                assertThat(json.header(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
                assertThat(json.header(EventStoreConstants.CREATED))
                        .isInstanceOf(Instant.class)
                        .isEqualTo(stored.get(0).getCreated());
                assertThat((Instant) json.header(EventStoreConstants.CREATED))
                        .isBetween(before.minusSeconds(5), after.plusSeconds(5));
                assertThat(json.header(EventStoreConstants.METADATA)).isEqualTo(userMetadata);
                assertThat(json.headers)
                        .doesNotContainKeys(
                                EventStoreConstants.LINK_EVENT_ID,
                                EventStoreConstants.LINK_STREAM_ID,
                                EventStoreConstants.LINK_REVISION);

                Received binary = received.get(1);
                assertThat(binary.body).isInstanceOf(byte[].class).isEqualTo(binaryData);
                assertThat(binary.header(EventStoreConstants.EVENT_ID)).isEqualTo(binaryId.toString());
                assertThat(binary.header(EventStoreConstants.STREAM_ID)).isEqualTo("orders-7");
                assertThat(binary.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("Blob");
                assertThat(binary.header(EventStoreConstants.REVISION)).isEqualTo(1L);
                assertThat(binary.header(EventStoreConstants.COMMIT_POSITION))
                        .isEqualTo(second.getLogPosition().getCommitUnsigned());
                assertThat(binary.header(EventStoreConstants.PREPARE_POSITION))
                        .isEqualTo(second.getLogPosition().getPrepareUnsigned());
                assertThat((Long) binary.header(EventStoreConstants.COMMIT_POSITION))
                        .isGreaterThan((Long) json.header(EventStoreConstants.COMMIT_POSITION));
                assertThat(binary.header(EventStoreConstants.CONTENT_TYPE)).isEqualTo("application/octet-stream");
                assertThat(binary.header(EventStoreConstants.CREATED))
                        .isEqualTo(stored.get(1).getCreated());
                assertThat(binary.header(EventStoreConstants.METADATA)).isEqualTo(userMetadata);

                Received plain = received.get(2);
                assertThat(plain.body).isEqualTo(TestEvents.json(7));
                assertThat(plain.header(EventStoreConstants.EVENT_ID))
                        .isEqualTo(stored.get(2).getEventId().toString());
                assertThat(plain.header(EventStoreConstants.STREAM_ID)).isEqualTo("plain-1");
                assertThat(plain.header(EventStoreConstants.REVISION)).isEqualTo(0L);
                assertThat(plain.header(EventStoreConstants.COMMIT_POSITION))
                        .isEqualTo(stored.get(2).getPosition().getCommitUnsigned());
                assertThat(plain.header(EventStoreConstants.METADATA))
                        .isInstanceOf(byte[].class)
                        .isEqualTo(new byte[0]);
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A route that sets a header of its own before reading any, one that copies the exchange (a wire tap), and one
     * that asks whether there are headers all see every event header: what a message that fills its headers lazily
     * (tried for speed, see docs/performance.md) would have to keep.
     */
    @Test
    void everyWayARouteTouchesHeadersSeesAllOfThem() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            server.append("orders-3", TestEvents.numbered("OrderPlaced", 0, 1));
            Recorder afterOwnHeader = new Recorder();
            Recorder tapped = new Recorder();
            List<Boolean> hasHeaders = Collections.synchronizedList(new ArrayList<>());
            String uri = "eventstore:$all?connectionString=" + server.connectionString() + "&checkpointKey=";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri + "own")
                            .routeId("own")
                            .setHeader("mine", constant("x"))
                            .process(afterOwnHeader::accept);
                    from(uri + "tap").routeId("tap").wireTap("direct:tapped");
                    from("direct:tapped").process(tapped::accept);
                    from(uri + "has")
                            .routeId("has")
                            .process(e -> hasHeaders.add(e.getMessage().hasHeaders()));
                }
            });
            context.start();
            await().atMost(WAIT)
                    .until(() -> afterOwnHeader.size() >= 1 && tapped.size() >= 1 && hasHeaders.size() >= 1);

            assertThat(afterOwnHeader.get(0).headers)
                    .containsEntry("mine", "x")
                    .containsEntry(EventStoreConstants.STREAM_ID, "orders-3")
                    .containsEntry(EventStoreConstants.EVENT_TYPE, "OrderPlaced")
                    .containsEntry(EventStoreConstants.REVISION, 0L)
                    .containsEntry(EventStoreConstants.DELIVERY_ATTEMPT, 1)
                    .containsKeys(
                            EventStoreConstants.EVENT_ID,
                            EventStoreConstants.COMMIT_POSITION,
                            EventStoreConstants.PREPARE_POSITION,
                            EventStoreConstants.POSITION,
                            EventStoreConstants.CREATED,
                            EventStoreConstants.METADATA,
                            EventStoreConstants.CONTENT_TYPE,
                            Exchange.CONTENT_TYPE);
            assertThat(tapped.get(0).headers)
                    .isEqualTo(afterOwnHeader.get(0).headers.entrySet().stream()
                            .filter(h -> !h.getKey().equals("mine"))
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            assertThat(tapped.get(0).body).isEqualTo(TestEvents.json(0));
            assertThat(hasHeaders).containsExactly(true);
        }
    }

    @Test
    void bodyConvertsToStringAndUnmarshalsWithJackson() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            // non-ASCII text: the conversion must decode UTF-8
            String text = "{\"id\":\"o-1\",\"city\":\"Zürich – Genève\",\"amount\":42}";
            server.append(
                    "orders-1",
                    List.of(EventDataBuilder.json("OrderPlaced", text.getBytes(StandardCharsets.UTF_8))
                            .build()));
            List<Object> strings = Collections.synchronizedList(new ArrayList<>());
            List<Object> maps = Collections.synchronizedList(new ArrayList<>());
            List<Object> orders = Collections.synchronizedList(new ArrayList<>());
            // Camel allows one consumer per endpoint: the checkpoint keys make three endpoints
            String uri = "eventstore:$all?connectionString=" + server.connectionString() + "&checkpointKey=";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri + "string")
                            .routeId("string")
                            .convertBodyTo(String.class)
                            .process(e -> strings.add(e.getMessage().getBody()));
                    from(uri + "map")
                            .routeId("map")
                            .unmarshal()
                            .json(JsonLibrary.Jackson, Map.class)
                            .process(e -> maps.add(e.getMessage().getBody()));
                    from(uri + "pojo")
                            .routeId("pojo")
                            .unmarshal()
                            .json(JsonLibrary.Jackson, Order.class)
                            .process(e -> orders.add(e.getMessage().getBody()));
                }
            });
            context.start();
            await().atMost(WAIT).until(() -> strings.size() >= 1 && maps.size() >= 1 && orders.size() >= 1);

            assertThat(strings).containsExactly(text);
            assertThat(maps).hasSize(1);
            assertThat(maps.get(0))
                    .isInstanceOf(Map.class)
                    .isEqualTo(Map.of("id", "o-1", "city", "Zürich – Genève", "amount", 42));
            assertThat(orders).hasSize(1);
            assertThat(orders.get(0)).isInstanceOf(Order.class);
            Order order = (Order) orders.get(0);
            assertThat(order.id).isEqualTo("o-1");
            assertThat(order.city).isEqualTo("Zürich – Genève");
            assertThat(order.amount).isEqualTo(42);
        }
    }

    // ---- links ----

    @Test
    void linksAreResolvedToTheirTargetsOnlyWhenAsked() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            EventStoreDBClient client = client(server);
            try {
                client.appendToStream(
                                "target-1",
                                EventDataBuilder.json("T0", TestEvents.json(0)).build(),
                                EventDataBuilder.json("T1", TestEvents.json(1)).build())
                        .get(10, TimeUnit.SECONDS);
                List<RecordedEvent> targets = new ArrayList<>();
                for (ResolvedEvent e : client.readStream("target-1", ReadStreamOptions.get())
                        .get(10, TimeUnit.SECONDS)
                        .getEvents()) {
                    targets.add(e.getOriginalEvent());
                }
                UUID link0 = UUID.randomUUID();
                UUID link1 = UUID.randomUUID();
                UUID dangling = UUID.randomUUID();
                List<Position> linkPositions = new ArrayList<>();
                for (EventData link :
                        List.of(link(link0, "1@target-1"), link(link1, "0@target-1"), link(dangling, "5@target-1"))) {
                    linkPositions.add(client.appendToStream("links-1", link)
                            .get(10, TimeUnit.SECONDS)
                            .getLogPosition());
                }

                Recorder resolved = new Recorder();
                Recorder raw = new Recorder();
                context.addRoutes(route(
                        "eventstore:links-1?resolveLinkTos=true&connectionString=" + server.connectionString(),
                        "resolved",
                        resolved));
                context.addRoutes(
                        route("eventstore:links-1?connectionString=" + server.connectionString(), "raw", raw));
                context.start();
                await().atMost(WAIT).until(() -> resolved.size() >= 3 && raw.size() >= 3);
                assertThat(resolved).hasSize(3);
                assertThat(raw).hasSize(3);

                for (int i = 0; i < 2; i++) {
                    Received r = resolved.get(i);
                    RecordedEvent target = targets.get(1 - i);
                    assertThat(r.body).isEqualTo(target.getEventData());
                    assertThat(r.header(EventStoreConstants.EVENT_ID))
                            .isEqualTo(target.getEventId().toString());
                    assertThat(r.header(EventStoreConstants.STREAM_ID)).isEqualTo("target-1");
                    assertThat(r.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("T" + (1 - i));
                    assertThat(r.header(EventStoreConstants.REVISION)).isEqualTo((long) (1 - i));
                    assertThat(r.header(EventStoreConstants.LINK_STREAM_ID)).isEqualTo("links-1");
                    assertThat(r.header(EventStoreConstants.LINK_REVISION)).isEqualTo((long) i);
                    assertThat(r.header(EventStoreConstants.LINK_EVENT_ID))
                            .isEqualTo((i == 0 ? link0 : link1).toString());
                    // positions are the link's: where the subscription stands
                    assertThat(r.header(EventStoreConstants.COMMIT_POSITION))
                            .isEqualTo(linkPositions.get(i).getCommitUnsigned());
                    assertThat(r.header(EventStoreConstants.POSITION)).isEqualTo(Integer.toString(i));
                }
                // a link whose target does not exist arrives as the link itself
                Received unresolvable = resolved.get(2);
                assertThat(unresolvable.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$>");
                assertThat(unresolvable.header(EventStoreConstants.EVENT_ID)).isEqualTo(dangling.toString());
                assertThat(unresolvable.header(EventStoreConstants.STREAM_ID)).isEqualTo("links-1");
                assertThat(new String((byte[]) unresolvable.body, StandardCharsets.UTF_8))
                        .isEqualTo("5@target-1");
                assertThat(unresolvable.headers).doesNotContainKeys(EventStoreConstants.LINK_STREAM_ID);

                List<String> linkData = List.of("1@target-1", "0@target-1", "5@target-1");
                List<UUID> linkIds = List.of(link0, link1, dangling);
                for (int i = 0; i < 3; i++) {
                    Received r = raw.get(i);
                    assertThat(r.header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$>");
                    assertThat(r.header(EventStoreConstants.STREAM_ID)).isEqualTo("links-1");
                    assertThat(r.header(EventStoreConstants.REVISION)).isEqualTo((long) i);
                    assertThat(r.header(EventStoreConstants.EVENT_ID))
                            .isEqualTo(linkIds.get(i).toString());
                    assertThat(new String((byte[]) r.body, StandardCharsets.UTF_8))
                            .isEqualTo(linkData.get(i));
                    assertThat(r.headers)
                            .doesNotContainKeys(
                                    EventStoreConstants.LINK_STREAM_ID,
                                    EventStoreConstants.LINK_REVISION,
                                    EventStoreConstants.LINK_EVENT_ID);
                }
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void linksInAllAreResolvedWhenSystemEventsAreIncluded() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            server.append("target-2", TestEvents.numbered("Numbered", 0, 2));
            server.append("links-2", List.of(link(UUID.randomUUID(), "1@target-2")));
            Recorder received = new Recorder();
            context.addRoutes(route(
                    "eventstore:$all?resolveLinkTos=true&excludeSystemEvents=false&connectionString="
                            + server.connectionString(),
                    "all-links",
                    received));
            context.start();
            await().atMost(WAIT).until(() -> received.size() >= 3);
            assertThat(received).hasSize(3);
            assertThat(received)
                    .extracting(r -> TestEvents.number((byte[]) r.body))
                    .containsExactly(0, 1, 1);
            Received link = received.get(2);
            assertThat(link.header(EventStoreConstants.STREAM_ID)).isEqualTo("target-2");
            assertThat(link.header(EventStoreConstants.REVISION)).isEqualTo(1L);
            assertThat(link.header(EventStoreConstants.EVENT_ID))
                    .isEqualTo(received.get(1).header(EventStoreConstants.EVENT_ID));
            assertThat(link.header(EventStoreConstants.LINK_STREAM_ID)).isEqualTo("links-2");
            assertThat(link.header(EventStoreConstants.LINK_REVISION)).isEqualTo(0L);
            // the position is the link's, after the target's
            assertThat((Long) link.header(EventStoreConstants.COMMIT_POSITION))
                    .isEqualTo(server.lastPosition())
                    .isGreaterThan((Long) received.get(1).header(EventStoreConstants.COMMIT_POSITION));
        }
    }

    // ---- start positions and live events ----

    @Test
    void initialPositionStartDeliversFromTheFirstEventThenLiveEvents() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            TestEvents.append(server, "orders-1", "Numbered", 0, 50);
            Recorder received = new Recorder();
            context.addRoutes(route(
                    "eventstore:$all?initialPosition=earliest&connectionString=" + server.connectionString(),
                    "live",
                    received));
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
            Recorder missing = new Recorder();
            context.addRoutes(route(
                    "eventstore:orders-3?initialPosition=latest&connectionString=" + server.connectionString(),
                    "missing",
                    missing));
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
            Recorder received = new Recorder();
            context.addRoutes(route(
                    "eventstore:orders-1?initialPosition=4&connectionString=" + server.connectionString(),
                    "revision",
                    received));
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

    // ---- helpers ----

    private static String stream(int i) {
        return "stream-" + i;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = from; n < to; n++) {
            numbers.add(n);
        }
        return numbers;
    }

    private static EventData link(UUID id, String target) {
        return EventDataBuilder.binary(id, "$>", target.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static com.eventstore.dbclient.AppendToStreamOptions appendOptions(ExpectedRevision revision) {
        return com.eventstore.dbclient.AppendToStreamOptions.get().expectedRevision(revision);
    }

    static EventStoreDBClient client(EventStoreTestServer server) {
        return EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    private static <T> List<T> snapshot(List<T> list) {
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    static RouteBuilder route(String uri, String routeId, Consumer<Exchange> sink) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(sink::accept);
            }
        };
    }

    /** What one exchange carried, copied when it was routed. */
    static final class Received {
        final Object body;
        final Map<String, Object> headers;

        Received(Exchange exchange) {
            this.body = exchange.getMessage().getBody();
            this.headers = new HashMap<>(exchange.getMessage().getHeaders());
        }

        Object header(String name) {
            return headers.get(name);
        }
    }

    /** Records every exchange it sees. */
    static final class Recorder extends java.util.concurrent.CopyOnWriteArrayList<Received>
            implements Consumer<Exchange> {
        @Override
        public void accept(Exchange exchange) {
            add(new Received(exchange));
        }

        List<Integer> numbers() {
            List<Integer> numbers = new ArrayList<>();
            for (Received r : this) {
                numbers.add(TestEvents.number((byte[]) r.body));
            }
            return numbers;
        }
    }

    /** The essentials of one exchange of the volume tests, kept small. */
    private record Seen(
            int n, String stream, long revision, long commit, long prepare, String position, String eventId) {
        static Seen of(Exchange e) {
            var m = e.getMessage();
            return new Seen(
                    TestEvents.number(m.getBody(byte[].class)),
                    m.getHeader(EventStoreConstants.STREAM_ID, String.class),
                    m.getHeader(EventStoreConstants.REVISION, Long.class),
                    m.getHeader(EventStoreConstants.COMMIT_POSITION, Long.class),
                    m.getHeader(EventStoreConstants.PREPARE_POSITION, Long.class),
                    m.getHeader(EventStoreConstants.POSITION, String.class),
                    m.getHeader(EventStoreConstants.EVENT_ID, String.class));
        }
    }

    /** A POJO to unmarshal the JSON events into. */
    public static class Order {
        public String id;
        public String city;
        public int amount;
    }
}
