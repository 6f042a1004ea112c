package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.client;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.WriteResult;
import dev.camel.eventstore.Recorder.Received;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.junit.jupiter.api.Test;

/**
 * What an exchange carries: every header as appended, seen by every way a route touches headers, and a body that
 * converts to text and unmarshals with Jackson.
 */
class ConsumerHeadersTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

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

    private static com.eventstore.dbclient.AppendToStreamOptions appendOptions(ExpectedRevision revision) {
        return com.eventstore.dbclient.AppendToStreamOptions.get().expectedRevision(revision);
    }

    /** A POJO to unmarshal the JSON events into. */
    public static class Order {
        public String id;
        public String city;
        public int amount;
    }
}
