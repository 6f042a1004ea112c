package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WrongExpectedVersionException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** The producer tests' testkit server and reader, shared by a class, and a context with a template for each test. */
abstract class ProducerTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    static EventStoreTestServer server;

    static EventStoreDBClient reader;

    CamelContext context;

    ProducerTemplate template;

    /** A stream of this test's own. */
    String stream;

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

    static String uri(EventStoreTestServer target, String stream, String options) {
        return "eventstore:" + stream + "?connectionString=" + target.connectionString()
                + (options == null ? "" : "&" + options);
    }

    /** Sends a body, with an expected revision header unless {@code null}. */
    Exchange send(String uri, String body, Object expectedRevision) {
        return template.send(uri, e -> {
            e.getMessage().setBody(body);
            if (expectedRevision != null) {
                e.getMessage().setHeader(EventStoreConstants.EXPECTED_REVISION, expectedRevision);
            }
        });
    }

    /** Sends a body as {@link #send} does and checks that it was appended; returns the exchange. */
    Exchange appended(String uri, String body, Object expectedRevision) {
        Exchange exchange = send(uri, body, expectedRevision);
        assertThat(exchange.getException()).as("appending %s", body).isNull();
        return exchange;
    }

    /**
     * Sends a body as {@link #send} does and checks that the append was refused: the stream was not where the
     * expected revision said. Returns the client's exception, which the exchange carries as it is.
     */
    WrongExpectedVersionException refused(String uri, String body, Object expectedRevision) {
        Exchange exchange = send(uri, body, expectedRevision);
        assertThat(exchange.getException()).as("appending %s", body).isInstanceOf(WrongExpectedVersionException.class);
        return (WrongExpectedVersionException) exchange.getException();
    }

    static List<RecordedEvent> read(String stream) throws Exception {
        return StreamReads.events(reader, stream);
    }

    static boolean streamExists(String stream) {
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

    static RecordedEvent last(List<RecordedEvent> events) {
        return events.get(events.size() - 1);
    }

    static String text(RecordedEvent event) {
        return new String(event.getEventData(), StandardCharsets.UTF_8);
    }
}
