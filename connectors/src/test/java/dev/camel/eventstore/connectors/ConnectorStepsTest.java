package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.numbered;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static dev.camel.eventstore.connectors.Connectors.text;
import static dev.camel.eventstore.connectors.Connectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.EventStoreConstants;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connector's steps between source and sink: the JSONPath filter (the checkpoint moves past what it skips) and
 * the transform, and an event either cannot process going to the dead-letter endpoint at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectorStepsTest extends MockSinkConnectorTest {
    // ---- the JSONPath filter ----

    @Test
    void filterJsonPathSkipsNonMatchingEventsAndTheCheckpointMovesPastThem() throws Exception {
        List<EventData> events = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            events.add(EventDataBuilder.json("OrderPlaced", utf8("{\"n\":" + n + ",\"amount\":" + n * 25 + "}"))
                    .build());
        }
        server().append("c7-orders-1", events);
        CamelContext context = context();
        MockEndpoint sink = mockConnector(
                context,
                "c7",
                "streamNamePrefixes",
                "c7-",
                "filterJsonPath",
                "$[?(@.amount > 100)]",
                "checkpointInterval",
                "100");
        // events 0 to 4 do not match, nor does the last event: the processed position still moves past it
        server().append(
                        "c7-orders-1",
                        List.of(EventDataBuilder.json("OrderPlaced", utf8("{\"n\":10,\"amount\":1}"))
                                .build()));
        SubscriptionPosition skipped = Connectors.positionOf(client(), "c7-orders-1", 10);
        await().atMost(WAIT).until(() -> {
            SubscriptionPosition processed = consumer(context, "c7").getProcessedPosition();
            return processed != null && processed.compareTo(skipped) >= 0;
        });
        assertThat(received(sink)).containsExactly(5, 6, 7, 8, 9);
        // and so does the stored checkpoint
        await().atMost(WAIT).until(() -> {
            String stored = Connectors.storedCheckpoint(client(), "camel-checkpoint-c7");
            return stored != null && SubscriptionPosition.parse(stored, true).compareTo(skipped) >= 0;
        });
    }

    @Test
    void dataThatIsNotJsonUnderAJsonFilterGoesToTheDeadLetterEndpointAtOnce() throws Exception {
        Exchange dead = eventOneDeadLetteredAtOnce("c8", "filterJsonPath", "$[?(@.amount > 100)]");
        assertThat(dead.getMessage().getHeader("esdb-error", String.class))
                .startsWith("filterJsonPath cannot be evaluated on the event's data: ");
        assertThat(dead.getMessage().getHeader("esdb-error-type")).isEqualTo(InvalidRecordException.class.getName());
        assertThat(dead.getMessage().getHeader("esdb-connector-id")).isEqualTo("c8");
    }

    @Test
    void dataThatIsNotJsonUnderAJsonFilterWithoutADeadLetterEndpointStopsTheConnectorAtOnce() throws Exception {
        appendWithEventOneNotJson("c16-orders-1");
        CamelContext context = context();
        // retryMaxAttempts 0 (the default): a sink failure would be retried forever, this one cannot succeed
        MockEndpoint sink =
                mockConnector(context, "c16", "streamNamePrefixes", "c16-", "filterJsonPath", "$[?(@.amount > 100)]");
        String reason = awaitFailed(context, "c16");

        assertThat(received(sink)).containsExactly(0);
        SubscriptionPosition notJson = Connectors.positionOf(client(), "c16-orders-1", 1);
        assertThat(reason)
                .contains("the exchange of the event at " + notJson + " failed and")
                .contains("InvalidRecordException: filterJsonPath cannot be evaluated on the event's data")
                .contains("retrying cannot fix it");
    }

    // ---- the transform ----

    @Test
    void anEventTheTransformFailsOnGoesToTheDeadLetterEndpointAtOnce() throws Exception {
        Exchange dead = eventOneDeadLetteredAtOnce("c15", "transformLanguage", "jsonpath", "transformExpression", "$");
        assertThat(dead.getMessage().getHeader("esdb-error", String.class))
                .startsWith("the jsonpath transform failed on the event's data: ");
    }

    @Test
    void aSimpleTransformBecomesTheBody() throws Exception {
        server().append("c9-orders-1", numbered("OrderPlaced", 0, 2));
        MockEndpoint sink = mockConnector(
                "c9",
                "streamNamePrefixes",
                "c9-",
                "transformExpression",
                "${header.CamelEventStoreEventType} at ${header.CamelEventStoreRevision}: ${bodyAs(String)}");
        await().atMost(WAIT).until(() -> sink.getReceivedExchanges().size() >= 2);
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getBody(String.class))
                .containsExactly("OrderPlaced at 0: {\"n\":0}", "OrderPlaced at 1: {\"n\":1}");
        // the headers still describe the event
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader("esdb-record-stream-revision"))
                .containsExactly("0", "1");
    }

    @Test
    void aJsonPathTransformWritesObjectsAndListsAsJson() throws Exception {
        byte[] order = utf8("{\"n\":0,\"customer\":{\"name\":\"Ann\",\"tier\":\"gold\"},"
                + "\"items\":[{\"sku\":\"a-1\",\"qty\":2},{\"sku\":\"b-2\",\"qty\":1}]}");
        server().append(
                        "c10-orders-1",
                        List.of(EventDataBuilder.json("OrderPlaced", order).build()));
        // two contexts: the two connectors read the same source (see twoConnectorsWithTheSameSourceRunInOneContext)
        MockEndpoint customer = mockConnector(
                context(),
                "c10-customer",
                "streamNamePrefixes",
                "c10-",
                "transformLanguage",
                "jsonpath",
                "transformExpression",
                "$.customer");
        MockEndpoint skus = mockConnector(
                context(),
                "c10-skus",
                "streamNamePrefixes",
                "c10-",
                "transformLanguage",
                "jsonpath",
                "transformExpression",
                "$.items[*].sku");
        await().atMost(WAIT)
                .until(() -> customer.getReceivedExchanges().size() == 1
                        && skus.getReceivedExchanges().size() == 1);
        byte[] customerBody =
                customer.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        assertThat(JSON.readTree(customerBody)).isEqualTo(JSON.readTree("{\"name\":\"Ann\",\"tier\":\"gold\"}"));
        byte[] skuBody = skus.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        assertThat(text(skuBody)).isEqualTo("[\"a-1\",\"b-2\"]");
    }

    /**
     * Runs connector {@code id} with the settings, five attempts and a dead-letter endpoint over events 0 to 2 of its
     * stream, event 1 not JSON. Waits until the sink received events 0 and 2, and returns the one exchange at the
     * dead-letter endpoint: event 1's, with its data, sent there at its first attempt (no retry).
     */
    private Exchange eventOneDeadLetteredAtOnce(String id, String... settings) throws Exception {
        String stream = id + "-orders-1";
        appendWithEventOneNotJson(stream);
        CamelContext context = context();
        String deadLetterUri = "mock:" + id + "-dlq";
        Map<String, String> parameters =
                parameters("streamNamePrefixes", id + "-", "retryMaxAttempts", "5", "deadLetterUri", deadLetterUri);
        parameters.putAll(parameters(settings));
        MockEndpoint sink = mockConnector(context, id, parameters);
        MockEndpoint dlq = context.getEndpoint(deadLetterUri, MockEndpoint.class);
        await().atMost(WAIT).until(() -> received(sink).contains(2));
        assertThat(received(sink)).containsExactly(0, 2);
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        Exchange dead = dlq.getReceivedExchanges().get(0);
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("<order n='1'/>");
        assertThat(dead.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT))
                .isEqualTo(1);
        // the connector's own headers say which event it is (a Kafka or HTTP dead-letter endpoint drops Camel*)
        assertThat(dead.getMessage().getHeader("esdb-record-stream-id")).isEqualTo(stream);
        assertThat(dead.getMessage().getHeader("esdb-record-stream-revision")).isEqualTo("1");
        return dead;
    }

    /** Events 0 and 2 of the stream JSON orders of 500, event 1 an order that is not JSON. */
    private static void appendWithEventOneNotJson(String stream) {
        server().append(
                        stream,
                        List.of(
                                EventDataBuilder.json("OrderPlaced", utf8("{\"n\":0,\"amount\":500}"))
                                        .build(),
                                EventDataBuilder.binary("OrderPlaced", utf8("<order n='1'/>"))
                                        .build(),
                                EventDataBuilder.json("OrderPlaced", utf8("{\"n\":2,\"amount\":500}"))
                                        .build()));
    }
}
