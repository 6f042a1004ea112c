package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.RecordedEvent;
import dev.camel.eventstore.EventStoreConstants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kamelets {@code eventstore-source} and {@code eventstore-sink}, found on the classpath ({@code kamelets/}) as
 * an application using them finds them, against a testkit server that requires credentials. The password holds
 * {@code @}, {@code &} and {@code ?}, percent-encoded in the connection string: the Kamelets must pass the
 * connection string to the client unchanged, or the server refuses every call.
 */
class KameletTest {
    private static final String PASSWORD = "p@ss&w?rd";

    @RegisterExtension
    static final ServerWithClient EVENT_STORE = ServerWithClient.withUser("admin", PASSWORD);

    private CamelContext context;

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void theSourceDeliversAppendedEventsInOrderWithTheirHeaders() throws Exception {
        List<Exchange> received = new CopyOnWriteArrayList<>();
        start(
                kamelet("eventstore-source", "initialPosition=earliest&streamNamePrefixes=source-"),
                route -> route.routeId("from-kamelet").process(received::add));

        List<UUID> ids = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            // alternating streams: the order to keep is the log's, across streams
            append("source-" + (n % 2), event(n % 2 == 0 ? "OrderPlaced" : "OrderPaid", n, id));
            // outside the prefix filter: never delivered
            append("other-" + n, event("OrderPlaced", 100 + n, UUID.randomUUID()));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 5);
        // nothing else arrives: the filter was applied, nothing is repeated
        append("source-0", event("Marker", 5, UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 6);
        assertThat(received).hasSize(6);

        List<Exchange> orders = received.subList(0, 5);
        assertThat(orders).extracting(KameletTest::number).containsExactly(0, 1, 2, 3, 4);
        assertThat(orders)
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.EVENT_ID))
                .containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
        assertThat(orders)
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.STREAM_ID))
                .containsExactly("source-0", "source-1", "source-0", "source-1", "source-0");
        assertThat(orders)
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.EVENT_TYPE))
                .containsExactly("OrderPlaced", "OrderPaid", "OrderPlaced", "OrderPaid", "OrderPlaced");
        assertThat(orders)
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.REVISION, Long.class))
                .containsExactly(0L, 0L, 1L, 1L, 2L);
        assertThat(orders)
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.CONTENT_TYPE))
                .containsOnly("application/json");
        List<Long> commits = orders.stream()
                .map(e -> e.getMessage().getHeader(EventStoreConstants.COMMIT_POSITION, Long.class))
                .toList();
        assertThat(commits).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theSourceReadsOneStreamFromAGivenRevision() throws Exception {
        for (int n = 0; n < 4; n++) {
            append("single-stream", event("OrderPlaced", n, UUID.randomUUID()));
        }
        List<Exchange> received = new CopyOnWriteArrayList<>();
        // revision 1 itself is not delivered: reading starts after it
        start(
                kamelet("eventstore-source", "stream=single-stream&initialPosition=1&maxInFlight=4"),
                route -> route.process(received::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
        append("single-stream", event("OrderPlaced", 4, UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);

        assertThat(received).extracting(KameletTest::number).containsExactly(2, 3, 4);
        assertThat(received)
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.REVISION, Long.class))
                .containsExactly(2L, 3L, 4L);
    }

    @Test
    void theSinkAppendsEachMessageAsAnEvent() throws Exception {
        start(
                "direct:orders",
                route -> route.to(kamelet("eventstore-sink", "stream=sink-orders&eventType=OrderPlaced")));
        ProducerTemplate producer = context.createProducerTemplate();
        UUID givenId = UUID.randomUUID();
        producer.sendBody("direct:orders", "{\"n\":0}");
        // headers override the Kamelet's settings per message
        producer.sendBodyAndHeaders(
                "direct:orders",
                "{\"n\":1}",
                Map.of(EventStoreConstants.EVENT_TYPE, "OrderPaid", EventStoreConstants.EVENT_ID, givenId.toString()));
        Exchange last = producer.request(
                "direct:orders", e -> e.getMessage().setBody("{\"n\":2}".getBytes(StandardCharsets.UTF_8)));
        assertThat(last.getException()).isNull();
        // the producer's result headers come back through the Kamelet
        assertThat(last.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION, Long.class))
                .isEqualTo(2L);

        List<RecordedEvent> stored = EVENT_STORE.read("sink-orders");
        assertThat(stored)
                .extracting(RecordedEvent::getEventType)
                .containsExactly("OrderPlaced", "OrderPaid", "OrderPlaced");
        assertThat(stored)
                .extracting(e -> new String(e.getEventData(), StandardCharsets.UTF_8))
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(stored).extracting(RecordedEvent::getContentType).containsOnly("application/json");
        assertThat(stored.get(1).getEventId()).isEqualTo(givenId);
    }

    @Test
    void theSinkFailsTheExchangeWhenTheExpectedRevisionDoesNotMatch() throws Exception {
        start(
                "direct:new-stream",
                route -> route.to(kamelet(
                        "eventstore-sink",
                        "stream=sink-once&eventType=Created&expectedRevision=no_stream"
                                + "&contentType=application/octet-stream")));
        ProducerTemplate producer = context.createProducerTemplate();
        producer.sendBody("direct:new-stream", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> producer.sendBody("direct:new-stream", new byte[] {4}))
                .hasRootCauseInstanceOf(com.eventstore.dbclient.WrongExpectedVersionException.class);

        List<RecordedEvent> stored = EVENT_STORE.read("sink-once");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).getEventData()).containsExactly(1, 2, 3);
        assertThat(stored.get(0).getContentType()).isEqualTo("application/octet-stream");
    }

    // ---- helpers ----

    /** Starts this test's context, with one route from {@code uri} that {@code route} completes. */
    private void start(String uri, Consumer<RouteDefinition> route) throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                route.accept(from(uri));
            }
        });
        context.start();
    }

    /** The URI of a Kamelet of the server, with more options ({@code name=value&...}). */
    private static String kamelet(String name, String options) {
        return "kamelet:" + name + "?connectionString=RAW("
                + EVENT_STORE.server().connectionString() + ")&" + options;
    }

    private static EventData event(String type, int n, UUID id) {
        return EventDataBuilder.json(type, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                .eventId(id)
                .build();
    }

    private static void append(String stream, EventData event) throws Exception {
        EVENT_STORE.client().appendToStream(stream, event).get(10, TimeUnit.SECONDS);
    }

    private static int number(Exchange exchange) {
        String json = exchange.getMessage().getBody(String.class);
        Matcher m = Pattern.compile("\"n\":(\\d+)").matcher(json);
        assertThat(m.find()).as("a numbered event: " + json).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
