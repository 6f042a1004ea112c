package dev.camel.eventstore.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.WrongExpectedVersionException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.examples.support.EventStoreReader;
import dev.camel.eventstore.examples.support.LogCapture;
import dev.camel.eventstore.examples.support.Positions;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded example's CamelContext, as its main builds it, against the testkit server. */
class EmbeddedExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventStoreTestServer server;
    private EventStoreDBClient client;
    private EventStoreReader reader;
    private LogCapture dashboard;

    @BeforeEach
    void start() {
        server = EventStoreTestServer.startDefault();
        client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        reader = new EventStoreReader(server.connectionString());
        dashboard = new LogCapture("order-dashboard");
    }

    @AfterEach
    void stop() throws Exception {
        dashboard.close();
        reader.close();
        client.shutdown().get(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void theCheckoutAppendsOrdersThatTheDashboardReadsAndRestartsResume() throws Exception {
        CamelContext context = EmbeddedExample.createContext(client, server.connectionString());
        context.start();
        ProducerTemplate checkout = context.createProducerTemplate();
        checkout.sendBodyAndHeader("direct:checkout", EmbeddedExample.order("2001", 20), "correlationId", "c-1");
        checkout.sendBodyAndHeader("direct:checkout", EmbeddedExample.order("2002", 35), "correlationId", "c-2");

        // each order is one OrderPlaced event in its own stream: the order as JSON, the correlation id as metadata
        RecordedEvent placed = reader.read("order-2001").get(0);
        assertThat(reader.read("order-2001")).hasSize(1);
        assertThat(placed.getEventType()).isEqualTo("OrderPlaced");
        assertThat(JSON.readValue(placed.getEventData(), Map.class))
                .isEqualTo(JSON.convertValue(EmbeddedExample.order("2001", 20), Map.class));
        assertThat(JSON.readTree(placed.getUserMetadata()).get("correlationId").asText())
                .isEqualTo("c-1");
        // placing an order twice is refused (expected revision no_stream)
        assertThatThrownBy(() -> checkout.sendBody("direct:checkout", EmbeddedExample.order("2001", 20)))
                .isInstanceOf(CamelExecutionException.class)
                .hasCauseInstanceOf(WrongExpectedVersionException.class);
        assertThat(reader.read("order-2001")).hasSize(1);

        // the consumer route sees both events, in order
        String second = reader.positionOfLast("order-2002");
        Positions.awaitProcessed(context, "order-dashboard", second);
        assertThat(dashboard.lines())
                .containsExactly(
                        "INFO order-dashboard: Dashboard: OrderPlaced in order-2001 at "
                                + reader.positionOfLast("order-2001") + ": " + text(placed.getEventData()),
                        "INFO order-dashboard: Dashboard: OrderPlaced in order-2002 at " + second + ": "
                                + text(reader.read("order-2002").get(0).getEventData()));
        context.stop();

        // Camel never shuts the shared client down: the application goes on using it
        assertThat(client.isShutdown()).isFalse();
        // the checkpoint is stored through it; a new context resumes after it and shows only the new order
        assertThat(Positions.atOrAfter(reader.stored("order-dashboard"), second))
                .isTrue();
        CamelContext restarted = EmbeddedExample.createContext(client, server.connectionString());
        restarted.start();
        try {
            restarted
                    .createProducerTemplate()
                    .sendBodyAndHeader("direct:checkout", EmbeddedExample.order("2003", 50), "correlationId", "c-3");
            await().until(() -> dashboard.lines().size() == 3);
            assertThat(dashboard.lines().get(2)).contains("OrderPlaced in order-2003");
        } finally {
            restarted.stop();
        }
        assertThat(dashboard.lines()).hasSize(3);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
