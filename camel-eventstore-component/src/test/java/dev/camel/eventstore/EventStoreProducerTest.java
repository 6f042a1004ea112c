package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WrongExpectedVersionException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateProducerException;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The {@code eventstore:} producer appending through the real client to the testkit server, read back with it. */
class EventStoreProducerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EventStoreTestServer server;
    private static EventStoreDBClient reader;

    private CamelContext context;
    private ProducerTemplate template;
    /** A stream of this test's own. */
    private String stream;

    /** Marshalled to JSON by a route before it is appended. */
    public static final class Order {
        public String id;
        public int quantity;

        public Order() {}

        Order(String id, int quantity) {
            this.id = id;
            this.quantity = quantity;
        }
    }

    @BeforeAll
    static void startServer() {
        server = EventStoreTestServer.startDefault();
        reader = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    @AfterAll
    static void stopServer() throws Exception {
        reader.shutdown().get(10, TimeUnit.SECONDS);
        server.close();
    }

    @BeforeEach
    void startContext(TestInfo test) throws Exception {
        stream = test.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID();
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:order")
                        .marshal()
                        .json(JsonLibrary.Jackson)
                        .to(uri(server, "orders-json", "eventType=OrderPlaced"));
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    // ---- bodies ----

    @Test
    void appendsByteArrayStringAndMarshalledPojoBodies() throws Exception {
        String to = uri(server, stream, "eventType=OrderPlaced");
        template.sendBody(to, "{\"n\":0}".getBytes(StandardCharsets.UTF_8));
        template.sendBody(to, "{\"n\":1}");
        template.sendBody("direct:order", new Order("o-7", 3));

        List<RecordedEvent> events = read(stream);
        assertThat(events).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L);
        assertThat(events).extracting(EventStoreProducerTest::text).containsExactly("{\"n\":0}", "{\"n\":1}");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getEventType()).isEqualTo("OrderPlaced");
            assertThat(e.getContentType()).isEqualTo("application/json");
        });
        RecordedEvent order = last(read("orders-json"));
        assertThat(JSON.readTree(order.getEventData())).isEqualTo(JSON.readTree("{\"id\":\"o-7\",\"quantity\":3}"));
        assertThat(order.getEventType()).isEqualTo("OrderPlaced");
    }

    @Test
    void aPojoThatWasNotMarshalledIsRejected() {
        Exchange result = template.send(uri(server, stream, "eventType=OrderPlaced"), e -> e.getMessage()
                .setBody(new Order("o-1", 1)));
        assertThat(result.getException()).isInstanceOf(InvalidPayloadException.class);
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void aListBodyIsAppendedAsOneBatchInOrder() throws Exception {
        List<Object> batch = List.of(
                "{\"n\":0}",
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                EventDataBuilder.json("Special", TestEvents.json(2)).build(),
                "{\"n\":3}");
        Exchange result = template.send(uri(server, stream, "eventType=OrderPlaced"), e -> e.getMessage()
                .setBody(batch));

        assertThat(result.getException()).isNull();
        List<RecordedEvent> events = read(stream);
        assertThat(events).extracting(e -> TestEvents.number(e.getEventData())).containsExactly(0, 1, 2, 3);
        assertThat(events)
                .extracting(RecordedEvent::getEventType)
                .containsExactly("OrderPlaced", "OrderPlaced", "Special", "OrderPlaced");
        assertThat(events).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L, 2L, 3L);
        // one append: the result describes the batch's last event
        assertThat(result.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION))
                .isEqualTo(3L);
        assertThat(result.getMessage().getHeader(EventStoreConstants.COMMIT_POSITION))
                .isEqualTo(last(events).getPosition().getCommitUnsigned());
    }

    @Test
    void aRejectedBatchAppendsNothing() throws Exception {
        template.sendBody(uri(server, stream, "eventType=OrderPlaced"), "{\"n\":0}");
        Exchange result = template.send(
                uri(server, stream, "eventType=OrderPlaced&expectedRevision=no_stream"),
                e -> e.getMessage().setBody(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}")));

        assertThat(result.getException()).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(read(stream)).extracting(EventStoreProducerTest::text).containsExactly("{\"n\":0}");
    }

    // ---- what the events carry ----

    @Test
    void eventTypeIdContentTypeAndMetadataComeFromOptionsAndHeadersHeadersWinning() throws Exception {
        String to = uri(server, stream, "eventType=FromOption&contentType=application/octet-stream");
        template.sendBody(to, "from options");
        UUID id = UUID.randomUUID();
        template.send(to, e -> {
            e.getMessage().setBody("{\"from\":\"headers\"}");
            e.getMessage().setHeader(EventStoreConstants.EVENT_TYPE, "FromHeader");
            e.getMessage().setHeader(EventStoreConstants.EVENT_ID, id.toString());
            e.getMessage().setHeader(EventStoreConstants.CONTENT_TYPE, "application/json");
            e.getMessage().setHeader(EventStoreConstants.METADATA, "{\"source\":\"test\"}");
        });

        List<RecordedEvent> events = read(stream);
        assertThat(events).hasSize(2);
        RecordedEvent fromOptions = events.get(0);
        assertThat(fromOptions.getEventType()).isEqualTo("FromOption");
        assertThat(fromOptions.getContentType()).isEqualTo("application/octet-stream");
        assertThat(text(fromOptions)).isEqualTo("from options");

        RecordedEvent fromHeaders = events.get(1);
        assertThat(fromHeaders.getEventType()).isEqualTo("FromHeader");
        assertThat(fromHeaders.getEventId()).isEqualTo(id);
        assertThat(fromHeaders.getContentType()).isEqualTo("application/json");
        // the client adds its tracing fields to JSON user metadata; ours are kept
        JsonNode metadata = JSON.readTree(fromHeaders.getUserMetadata());
        assertThat(metadata.path("source").asText()).isEqualTo("test");
    }

    @Test
    void octetStreamEventsKeepArbitraryBytes() throws Exception {
        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 10, 13, 0, 127, (byte) 0x80};
        byte[] metadata = {1, 2, 3};
        template.send(uri(server, stream, "eventType=Blob&contentType=application/octet-stream"), e -> {
            e.getMessage().setBody(binary);
            e.getMessage().setHeader(EventStoreConstants.METADATA, metadata);
        });

        RecordedEvent event = last(read(stream));
        assertThat(event.getContentType()).isEqualTo("application/octet-stream");
        assertThat(event.getEventData()).isEqualTo(binary);
        assertThat(event.getUserMetadata()).isEqualTo(metadata);
    }

    @Test
    void theStreamHeaderOverridesTheEndpointsStream() throws Exception {
        String other = stream + "-other";
        template.sendBodyAndHeader(
                uri(server, stream, "eventType=Moved"), "{\"n\":5}", EventStoreConstants.STREAM, other);

        assertThat(read(other)).extracting(EventStoreProducerTest::text).containsExactly("{\"n\":5}");
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void resultHeadersGiveTheNextExpectedRevisionAndThePosition() throws Exception {
        String to = uri(server, stream, "eventType=OrderPlaced");
        List<Exchange> results = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String body = "{\"n\":" + n + "}";
            results.add(template.send(to, e -> e.getMessage().setBody(body)));
        }

        List<RecordedEvent> events = read(stream);
        for (int n = 0; n < 3; n++) {
            Exchange result = results.get(n);
            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION))
                    .isEqualTo((long) n);
            assertThat(result.getMessage().getHeader(EventStoreConstants.COMMIT_POSITION))
                    .isEqualTo(events.get(n).getPosition().getCommitUnsigned());
            assertThat(result.getMessage().getHeader(EventStoreConstants.PREPARE_POSITION))
                    .isEqualTo(events.get(n).getPosition().getPrepareUnsigned());
        }
        assertThat(results.get(2).getMessage().getHeader(EventStoreConstants.COMMIT_POSITION, Long.class))
                .isGreaterThan(results.get(1).getMessage().getHeader(EventStoreConstants.COMMIT_POSITION, Long.class));
    }

    // ---- expected revisions ----

    @Test
    void expectedRevisionAnyAlwaysAppends() throws Exception {
        String to = uri(server, stream, "eventType=E&expectedRevision=any");
        assertThat(send(to, "{\"n\":0}", null).getException()).isNull();
        assertThat(send(to, "{\"n\":1}", null).getException()).isNull();
        assertThat(send(to, "{\"n\":2}", "any").getException()).isNull();
        assertThat(read(stream)).hasSize(3);
    }

    @Test
    void expectedRevisionNoStream() throws Exception {
        String to = uri(server, stream, "eventType=E&expectedRevision=no_stream");
        assertThat(send(to, "{\"n\":0}", null).getException()).isNull();

        Exchange second = send(to, "{\"n\":1}", null);
        assertThat(second.getException()).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.getStreamName()).isEqualTo(stream);
            assertThat(e.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(0));
            // the 5.4.5 client reads the server's expected_no_stream answer as revision 0 (it maps only
            // expected_any and expected_stream_exists): the exchange carries the client's exception as it is
            assertThat(e.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
        });
        assertThat(read(stream)).hasSize(1);
    }

    @Test
    void expectedRevisionStreamExists() throws Exception {
        String to = uri(server, stream, "eventType=E");
        Exchange missing = send(to, "{\"n\":0}", "stream_exists");
        assertThat(missing.getException()).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.getNextExpectedRevision()).isEqualTo(ExpectedRevision.streamExists());
            assertThat(e.getActualVersion()).isEqualTo(ExpectedRevision.noStream());
        });
        assertThat(streamExists(stream)).isFalse();

        assertThat(send(to, "{\"n\":0}", null).getException()).isNull();
        assertThat(send(to, "{\"n\":1}", "stream_exists").getException()).isNull();
        assertThat(read(stream)).hasSize(2);
    }

    @Test
    void anExactExpectedRevisionFromTheHeaderWinsOverTheOption() throws Exception {
        // the option says no_stream; the header, as text or as a number, says where the stream must be
        String to = uri(server, stream, "eventType=E&expectedRevision=no_stream");
        Exchange first = send(to, "{\"n\":0}", null);
        assertThat(first.getException()).isNull();
        Object next = first.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION);
        assertThat(next).isEqualTo(0L);
        // optimistic concurrency: feed the result header back
        Exchange second = send(to, "{\"n\":1}", next);
        assertThat(second.getException()).isNull();
        assertThat(send(to, "{\"n\":2}", "1").getException()).isNull();

        Exchange stale = send(to, "{\"n\":3}", "1");
        assertThat(stale.getException()).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.getStreamName()).isEqualTo(stream);
            assertThat(e.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
            assertThat(e.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(2));
        });
        assertThat(read(stream))
                .extracting(EventStoreProducerTest::text)
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void invalidExpectedRevisionsAreRejected() {
        Exchange result = send(uri(server, stream, "eventType=E"), "{}", "-3");
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid expected revision '-3'");
        assertThat(streamExists(stream)).isFalse();

        assertThatThrownBy(() -> template.sendBody(uri(server, stream, "eventType=E&expectedRevision=latest"), "{}"))
                .isInstanceOf(FailedToCreateProducerException.class)
                .rootCause()
                .hasMessageContaining("Invalid expected revision 'latest'");
    }

    // ---- invalid requests ----

    @Test
    void anEventIdHeaderThatIsNotAUuidIsRejected() {
        Exchange result = template.send(uri(server, stream, "eventType=E"), e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(EventStoreConstants.EVENT_ID, "not-a-uuid");
        });
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EventStoreConstants.EVENT_ID)
                .hasMessageContaining("not-a-uuid");
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void anEventWithoutTypeIsRejected() {
        Exchange result =
                template.send(uri(server, stream, null), e -> e.getMessage().setBody("{}"));
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No event type");
        Exchange batch =
                template.send(uri(server, stream, null), e -> e.getMessage().setBody(List.of("{}")));
        assertThat(batch.getException()).isInstanceOf(IllegalArgumentException.class);
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void anEmptyListIsRejected() {
        Exchange result = template.send(
                uri(server, stream, "eventType=E"), e -> e.getMessage().setBody(List.of()));
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty list");
        assertThat(streamExists(stream)).isFalse();
    }

    @Test
    void aProducerToAllIsRejected() {
        assertThatThrownBy(() -> template.sendBody(uri(server, "$all", "eventType=E"), "{}"))
                .isInstanceOf(FailedToCreateProducerException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot append to $all");
    }

    // ---- outages ----

    @Test
    void recoversAfterTheClientShutItselfDownWhileTheServerWasStopped() throws Exception {
        try (EventStoreTestServer own = EventStoreTestServer.startDefault()) {
            // few discovery attempts, so that the client gives up (and shuts itself down) quickly
            String to = "eventstore:" + stream + "?eventType=E&connectionString=RAW(" + own.connectionString()
                    + "&maxDiscoverAttempts=2&discoveryInterval=100)";
            assertThat(send(to, "{\"n\":0}", null).getException()).isNull();

            own.stop();
            List<Throwable> failures = new ArrayList<>();
            String endpoint = to;
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Exchange failed = send(endpoint, "{\"lost\":true}", null);
                assertThat(failed.getException()).isNotNull();
                failures.add(failed.getException());
                return failed.getException() instanceof ConnectionShutdownException;
            });

            own.start();
            int[] n = {1};
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Exchange attempt = send(endpoint, "{\"n\":" + n[0] + "}", null);
                return attempt.getException() == null;
            });
            assertThat(send(endpoint, "{\"n\":" + (n[0] + 1) + "}", null).getException())
                    .isNull();

            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(own.connectionString()));
            try {
                List<String> stored = client
                        .readStream(stream, ReadStreamOptions.get().fromStart())
                        .get(10, TimeUnit.SECONDS)
                        .getEvents()
                        .stream()
                        .map(e -> text(e.getOriginalEvent()))
                        .toList();
                assertThat(stored).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
            assertThat(failures).last().isInstanceOf(ConnectionShutdownException.class);
        }
    }

    // ---- helpers ----

    private static String uri(EventStoreTestServer target, String stream, String options) {
        return "eventstore:" + stream + "?connectionString=" + target.connectionString()
                + (options == null ? "" : "&" + options);
    }

    /** Sends a body, with an expected revision header unless {@code null}. */
    private Exchange send(String uri, String body, Object expectedRevision) {
        return template.send(uri, e -> {
            e.getMessage().setBody(body);
            if (expectedRevision != null) {
                e.getMessage().setHeader(EventStoreConstants.EXPECTED_REVISION, expectedRevision);
            }
        });
    }

    private static List<RecordedEvent> read(String stream) throws Exception {
        return reader
                .readStream(stream, ReadStreamOptions.get().forwards().fromStart())
                .get(10, TimeUnit.SECONDS)
                .getEvents()
                .stream()
                .map(ResolvedEvent::getOriginalEvent)
                .toList();
    }

    private static boolean streamExists(String stream) {
        try {
            read(stream);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return false;
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RecordedEvent last(List<RecordedEvent> events) {
        return events.get(events.size() - 1);
    }

    private static String text(RecordedEvent event) {
        return new String(event.getEventData(), StandardCharsets.UTF_8);
    }
}
