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
import dev.camel.eventstore.examples.support.ExampleHarness;
import dev.camel.eventstore.examples.support.Positions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The embedded example's CamelContext, as its main builds it, against the testkit server. */
class EmbeddedExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ExampleHarness example = new ExampleHarness("order-dashboard");

    private EventStoreDBClient client;

    @BeforeEach
    void start() {
        // the application's own client, which the example shares with the component
        client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(example.connectionString()));
    }

    @AfterEach
    void stop() throws Exception {
        client.shutdown().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theCheckoutAppendsOrdersThatTheDashboardReadsAndRestartsResume() throws Exception {
        EventStoreReader reader = example.reader();
        CamelContext context = EmbeddedExample.createContext(client, example.connectionString());
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
        assertThat(example.logged())
                .containsExactly(
                        "INFO order-dashboard: Dashboard: OrderPlaced in order-2001 at "
                                + reader.positionOfLast("order-2001") + ": "
                                + EventStoreReader.text(placed.getEventData()),
                        "INFO order-dashboard: Dashboard: OrderPlaced in order-2002 at " + second + ": "
                                + EventStoreReader.text(
                                        reader.read("order-2002").get(0).getEventData()));
        context.stop();

        // Camel never shuts the shared client down: the application goes on using it
        assertThat(client.isShutdown()).isFalse();
        // the checkpoint is stored through it; a new context resumes after it and shows only the new order
        assertThat(Positions.atOrAfter(reader.stored("order-dashboard"), second))
                .isTrue();
        CamelContext restarted = EmbeddedExample.createContext(client, example.connectionString());
        restarted.start();
        try {
            restarted
                    .createProducerTemplate()
                    .sendBodyAndHeader("direct:checkout", EmbeddedExample.order("2003", 50), "correlationId", "c-3");
            await().until(() -> example.logged().size() == 3);
            assertThat(example.logged().get(2)).contains("OrderPlaced in order-2003");
        } finally {
            restarted.stop();
        }
        assertThat(example.logged()).hasSize(3);
    }
}
