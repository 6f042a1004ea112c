package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.WriteResult;
import dev.camel.eventstore.Recorder.Received;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.builder.Builder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.HashMapHeadersMapFactory;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.junit.jupiter.api.Test;

/**
 * What an exchange carries: every header as appended, seen by every way a route touches headers, and a body that
 * converts to text and unmarshals with Jackson.
 */
class ConsumerHeadersTest extends ConsumerServerTestSupport {
    @Test
    @WithoutSystemEvents
    void everyHeaderCarriesWhatWasAppended() throws Exception {
        EventStoreDBClient client = client();
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
        append("plain-1", 7, 1);
        Instant after = Instant.now();
        List<RecordedEvent> stored = new ArrayList<>();
        for (ResolvedEvent e : client.readAll(ReadAllOptions.get().fromStart())
                .get(10, TimeUnit.SECONDS)
                .getEvents()) {
            stored.add(e.getOriginalEvent());
        }
        assertThat(stored).hasSize(3);

        Recorder received = startRecording(uri("$all"), "headers");
        awaitSize(received, 3);
        assertThat(received).hasSize(3);

        Received json = received.get(0);
        assertAppended(json, jsonData, jsonId, "orders-7", "OrderPlaced", 0, first.getLogPosition());
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
        assertAppended(binary, binaryData, binaryId, "orders-7", "Blob", 1, second.getLogPosition());
        assertThat((Long) binary.header(EventStoreConstants.COMMIT_POSITION))
                .isGreaterThan((Long) json.header(EventStoreConstants.COMMIT_POSITION));
        assertThat(binary.header(EventStoreConstants.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(binary.header(EventStoreConstants.CREATED))
                .isEqualTo(stored.get(1).getCreated());
        assertThat(binary.header(EventStoreConstants.METADATA)).isEqualTo(userMetadata);

        Received plain = received.get(2);
        RecordedEvent plainStored = stored.get(2);
        assertAppended(
                plain,
                TestEvents.json(7),
                plainStored.getEventId(),
                "plain-1",
                TestEvents.TYPE,
                0,
                plainStored.getPosition());
        assertThat(plain.header(EventStoreConstants.METADATA))
                .isInstanceOf(byte[].class)
                .isEqualTo(new byte[0]);
    }

    /**
     * A route that sets a header of its own before reading any, one that copies the exchange (a wire tap), and one
     * that asks whether there are headers all see every event header: what a message that fills its headers lazily
     * (tried for speed, see docs/performance.md) would have to keep.
     */
    @Test
    @WithoutSystemEvents
    void everyWayARouteTouchesHeadersSeesAllOfThem() throws Exception {
        server.append("orders-3", TestEvents.numbered("OrderPlaced", 0, 1));
        Recorder afterOwnHeader = new Recorder();
        Recorder tapped = new Recorder();
        List<Boolean> hasHeaders = Collections.synchronizedList(new ArrayList<>());
        onAll("own", r -> r.setHeader("mine", Builder.constant("x")).process(afterOwnHeader::accept));
        onAll("tap", r -> r.wireTap("direct:tapped"));
        context.addRoutes(route("direct:tapped", "tapped", tapped));
        onAll("has", r -> r.process(e -> hasHeaders.add(e.getMessage().hasHeaders())));
        context.start();
        await().atMost(WAIT).until(() -> afterOwnHeader.size() >= 1 && tapped.size() >= 1 && hasHeaders.size() >= 1);

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
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(tapped.get(0).body).isEqualTo(TestEvents.json(0));
        assertThat(hasHeaders).containsExactly(true);
    }

    /**
     * The headers are copied from a template sorted as Camel's default header map sorts them; a context with a header
     * map of another kind gets them put one by one, the same headers. The message also hands out the event itself.
     */
    @Test
    @WithoutSystemEvents
    void aContextWithAnotherKindOfHeaderMapGetsTheSameHeaders() throws Exception {
        server.append("orders-4", TestEvents.numbered("OrderPlaced", 0, 1));
        context.getCamelContextExtension().setHeadersMapFactory(new HashMapHeadersMapFactory());
        Recorder received = new Recorder();
        List<RecordedEvent> events = Collections.synchronizedList(new ArrayList<>());
        List<Class<?>> maps = Collections.synchronizedList(new ArrayList<>());
        onAll("hash-map", r -> r.process(e -> {
                    events.add(e.getIn(EventStoreMessage.class).getEvent());
                    maps.add(e.getMessage().getHeaders().getClass());
                })
                .process(received::accept));
        context.start();
        awaitSize(received, 1);

        assertThat(maps).containsExactly(HashMap.class);
        assertThat(received.get(0).headers)
                .containsEntry(EventStoreConstants.STREAM_ID, "orders-4")
                .containsEntry(EventStoreConstants.EVENT_TYPE, "OrderPlaced")
                .containsEntry(EventStoreConstants.REVISION, 0L)
                .containsEntry(EventStoreConstants.DELIVERY_ATTEMPT, 1)
                .containsEntry(Exchange.CONTENT_TYPE, "application/json")
                .containsEntry(
                        EventStoreConstants.EVENT_ID, events.get(0).getEventId().toString())
                .containsEntry(EventStoreConstants.CREATED, events.get(0).getCreated())
                .hasSize(12);
        assertThat(events.get(0).getStreamId()).isEqualTo("orders-4");
    }

    @Test
    void bodyConvertsToStringAndUnmarshalsWithJackson() throws Exception {
        // non-ASCII text: the conversion must decode UTF-8
        String text = "{\"id\":\"o-1\",\"city\":\"Zürich – Genève\",\"amount\":42}";
        server.append(
                "orders-1",
                List.of(EventDataBuilder.json("OrderPlaced", text.getBytes(StandardCharsets.UTF_8))
                        .build()));
        Recorder strings = new Recorder();
        Recorder maps = new Recorder();
        Recorder orders = new Recorder();
        onAll("string", r -> r.convertBodyTo(String.class).process(strings::accept));
        onAll("map", r -> r.unmarshal().json(JsonLibrary.Jackson, Map.class).process(maps::accept));
        onAll("pojo", r -> r.unmarshal().json(JsonLibrary.Jackson, Order.class).process(orders::accept));
        context.start();
        await().atMost(WAIT).until(() -> strings.size() >= 1 && maps.size() >= 1 && orders.size() >= 1);

        assertThat(strings).extracting(r -> r.body).containsExactly(text);
        assertThat(maps)
                .singleElement()
                .extracting(r -> r.body)
                .isEqualTo(Map.of("id", "o-1", "city", "Zürich – Genève", "amount", 42));
        assertThat(orders).singleElement().extracting(r -> r.body).isInstanceOf(Order.class);
        Order order = (Order) orders.get(0).body;
        assertThat(order.id).isEqualTo("o-1");
        assertThat(order.city).isEqualTo("Zürich – Genève");
        assertThat(order.amount).isEqualTo(42);
    }

    /**
     * Adds a route from $all through the steps. Camel allows one consumer per endpoint: each route's endpoint has a
     * checkpoint key of its own, the route's id.
     */
    private void onAll(String routeId, Consumer<RouteDefinition> steps) throws Exception {
        String uri = uri("$all", "checkpointKey=" + routeId);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                steps.accept(from(uri).routeId(routeId));
            }
        });
    }

    /** The body and the headers that say what was appended, where, and at which position of the log. */
    private static void assertAppended(
            Received r, byte[] body, UUID id, String stream, String type, long revision, Position position) {
        assertThat(r.body).isInstanceOf(byte[].class).isEqualTo(body);
        assertThat(r.header(EventStoreConstants.EVENT_ID)).isEqualTo(id.toString());
        assertThat(r.header(EventStoreConstants.STREAM_ID)).isEqualTo(stream);
        assertThat(r.header(EventStoreConstants.EVENT_TYPE)).isEqualTo(type);
        assertThat(r.header(EventStoreConstants.REVISION)).isEqualTo(revision);
        assertThat(r.header(EventStoreConstants.COMMIT_POSITION)).isEqualTo(position.getCommitUnsigned());
        assertThat(r.header(EventStoreConstants.PREPARE_POSITION)).isEqualTo(position.getPrepareUnsigned());
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
