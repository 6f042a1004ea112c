package dev.camel.eventstore.examples.eip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.RecordedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.examples.support.EventStoreReader;
import dev.camel.eventstore.examples.support.ExampleHarness;
import dev.camel.eventstore.examples.support.Positions;
import dev.camel.eventstore.examples.support.RunningMain;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.examples.support.SampleOrders.SampleEvent;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The EIP example's application, as its main runs it, against the testkit server. */
class EipExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ExampleHarness example = new ExampleHarness("orders");

    @Test
    void routesByTypeTransformsOrdersAndDeadLettersWhatFailsWhileThePositionMovesOn() throws Exception {
        EventStoreReader reader = example.reader();
        // the CSV order among the others: the events after it are routed all the same
        List<SampleEvent> events = new ArrayList<>(SampleOrders.EVENTS);
        events.add(6, SampleOrders.CSV_ORDER);
        SampleOrders.write(example.connectionString(), events);
        String last = reader.positionOfLast("order-1001");

        try (RunningMain app = RunningMain.start(EipExample.create(example.connectionString()))) {
            Positions.awaitProcessed(app.context(), "order-events", last);
        }

        // OrderPlaced: a shipment request, enriched with the correlation id of the metadata and the event's headers
        List<JsonNode> shipments =
                sink("orders.fulfilment").stream().map(EipExampleTest::json).toList();
        assertThat(shipments)
                .extracting(s -> s.get("orderId").asText(), s -> s.get("correlationId")
                        .asText())
                .containsExactly(
                        tuple("1001", "checkout-1001"), tuple("1002", "checkout-1002"), tuple("1003", "checkout-1003"));
        RecordedEvent placed = reader.read("order-1003").get(0);
        assertThat(shipments.get(2).get("items"))
                .isEqualTo(json(EventStoreReader.text(placed.getEventData())).get("items"));
        assertThat(shipments.get(2).get("source").asText()).isEqualTo("order-1003@0");
        assertThat(Instant.parse(shipments.get(2).get("placedAt").asText())).isEqualTo(placed.getCreated());
        assertThat(shipments.get(2).fieldNames())
                .toIterable()
                .containsExactly("orderId", "items", "correlationId", "placedAt", "source");

        // Payment*: billing, as written; shipped, cancelled, delivered: tracking; FraudCheckCompleted: nowhere
        assertThat(sink("orders.billing"))
                .containsExactly(
                        data("1001", "PaymentAuthorized"),
                        data("1002", "PaymentDeclined"),
                        data("1003", "PaymentAuthorized"));
        assertThat(sink("orders.tracking"))
                .containsExactly(
                        data("1001", "OrderShipped"),
                        data("1002", "OrderCancelled"),
                        data("1003", "OrderShipped"),
                        data("1001", "OrderDelivered"));

        // the CSV order: kept in the dead-letter stream as it was read, with the reason and where it came from
        List<RecordedEvent> deadLetters = reader.read(OrderEventRoutes.DEAD_LETTER_STREAM);
        assertThat(deadLetters).hasSize(1);
        RecordedEvent deadLetter = deadLetters.get(0);
        assertThat(deadLetter.getEventType()).isEqualTo("OrderPlaced");
        assertThat(EventStoreReader.text(deadLetter.getEventData())).isEqualTo(SampleOrders.CSV_ORDER.data());
        JsonNode reason = json(EventStoreReader.text(deadLetter.getUserMetadata()));
        assertThat(reason.get("reason").asText()).startsWith("JsonParseException: Unexpected character (';'");
        assertThat(reason.get("stream").asText()).isEqualTo("order-1004");
        assertThat(reason.get("revision").asLong()).isZero();
        assertThat(reason.get("position").asText()).isEqualTo(reader.positionOfLast("order-1004"));

        // and the stored position passed it: a restart delivers nothing again
        assertThat(Positions.atOrAfter(reader.stored("order-events"), last)).isTrue();
        int routed = example.logged().size();
        SampleEvent delivered = new SampleEvent("order-1003", "OrderDelivered", "{\"orderId\":\"1003\"}", "{}");
        SampleOrders.write(example.connectionString(), List.of(delivered));
        try (RunningMain app = RunningMain.start(EipExample.create(example.connectionString()))) {
            Positions.awaitProcessed(app.context(), "order-events", reader.positionOfLast("order-1003"));
        }
        assertThat(example.logged())
                .hasSize(routed + 1)
                .last()
                .isEqualTo("INFO orders.tracking: {\"orderId\":\"1003\"}");
        assertThat(reader.read(OrderEventRoutes.DEAD_LETTER_STREAM)).hasSize(1);
    }

    @Test
    void anEventWhoseDeadLetterCannotBeStoredIsDeliveredAgainNotSkipped() throws Exception {
        EventStoreReader reader = example.reader();
        example.server().failAppends(OrderEventRoutes.DEAD_LETTER_STREAM::equals, Status.UNAVAILABLE);
        SampleEvent shipped = new SampleEvent("order-1004", "OrderShipped", "{\"orderId\":\"1004\"}", "{}");
        SampleOrders.write(example.connectionString(), List.of(SampleOrders.CSV_ORDER, shipped));
        String csv = EventStoreReader.position(reader.read("order-1004").get(0));

        try (RunningMain app = RunningMain.start(EipExample.create(example.connectionString()))) {
            EventStoreConsumer consumer =
                    (EventStoreConsumer) app.context().getRoute("order-events").getConsumer();
            // failed, retried, failed again: the position stays before it and nothing after it is routed
            await().until(() -> consumer.getFailedCount() >= 2);
            assertThat(consumer.getProcessedPosition() == null
                            || !Positions.atOrAfter(
                                    consumer.getProcessedPosition().toString(), csv))
                    .isTrue();
            assertThat(example.logged()).isEmpty();

            example.server().clearAppendFailures();
            Positions.awaitProcessed(app.context(), "order-events", reader.positionOfLast("order-1004"));
        }
        assertThat(reader.read(OrderEventRoutes.DEAD_LETTER_STREAM))
                .extracting(e -> EventStoreReader.text(e.getEventData()))
                .containsExactly(SampleOrders.CSV_ORDER.data());
        assertThat(example.logged()).containsExactly("INFO orders.tracking: {\"orderId\":\"1004\"}");
    }

    /** What the sink logged, one body a line. */
    private List<String> sink(String logger) {
        String prefix = "INFO " + logger + ": ";
        return example.logged().stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()))
                .toList();
    }

    /** The data of the sample event of this order and type. */
    private static String data(String orderId, String type) {
        return SampleOrders.EVENTS.stream()
                .filter(e -> e.stream().equals("order-" + orderId) && e.type().equals(type))
                .findFirst()
                .orElseThrow()
                .data();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
