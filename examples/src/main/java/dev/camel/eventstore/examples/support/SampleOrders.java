package dev.camel.eventstore.examples.support;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The events of a small web shop, as the examples read them: one stream per order ({@code order-<id>}) with {@code
 * OrderPlaced}, {@code PaymentAuthorized}, {@code PaymentDeclined}, {@code OrderShipped}, {@code OrderCancelled},
 * {@code OrderDelivered} and an internal {@code FraudCheckCompleted} event, JSON data, and user metadata carrying the
 * {@code correlationId} of the checkout that started the order. One customer event ({@code customer-C-23}) is not an
 * order, for the filters to leave out.
 */
public final class SampleOrders {
    /** One event to append: its stream, type, JSON data and JSON user metadata. */
    public record SampleEvent(String stream, String type, String data, String metadata) {}

    /** Every sample event in the order it is written, interleaved across orders as a live shop writes them. */
    public static final List<SampleEvent> EVENTS = List.of(
            order(
                    "1001",
                    "OrderPlaced",
                    "{\"orderId\":\"1001\",\"customerId\":\"C-17\",\"items\":[{\"sku\":\"BOOK-042\",\"quantity\":2,"
                            + "\"unitPrice\":12.50}],\"total\":25.00,\"currency\":\"EUR\"}"),
            order(
                    "1002",
                    "OrderPlaced",
                    "{\"orderId\":\"1002\",\"customerId\":\"C-23\",\"items\":[{\"sku\":\"LAMP-007\",\"quantity\":1,"
                            + "\"unitPrice\":149.00}],\"total\":149.00,\"currency\":\"EUR\"}"),
            order("1002", "FraudCheckCompleted", "{\"orderId\":\"1002\",\"score\":12,\"result\":\"pass\"}"),
            order(
                    "1001",
                    "PaymentAuthorized",
                    "{\"orderId\":\"1001\",\"paymentId\":\"PAY-5501\",\"amount\":25.00,\"currency\":\"EUR\"}"),
            new SampleEvent(
                    "customer-C-23",
                    "CustomerAddressChanged",
                    "{\"customerId\":\"C-23\",\"street\":\"12 Rue Mercière\",\"city\":\"Lyon\"}",
                    "{\"correlationId\":\"profile-5c21\",\"source\":\"account-service\"}"),
            order(
                    "1003",
                    "OrderPlaced",
                    "{\"orderId\":\"1003\",\"customerId\":\"C-17\",\"items\":[{\"sku\":\"MUG-001\",\"quantity\":4,"
                            + "\"unitPrice\":8.00},{\"sku\":\"TEA-310\",\"quantity\":1,\"unitPrice\":6.50}],"
                            + "\"total\":38.50,\"currency\":\"EUR\"}"),
            order(
                    "1002",
                    "PaymentDeclined",
                    "{\"orderId\":\"1002\",\"paymentId\":\"PAY-5502\",\"reason\":\"card expired\"}"),
            order(
                    "1001",
                    "OrderShipped",
                    "{\"orderId\":\"1001\",\"carrier\":\"DHL\",\"trackingNumber\":\"00340434161094042557\"}"),
            order(
                    "1003",
                    "PaymentAuthorized",
                    "{\"orderId\":\"1003\",\"paymentId\":\"PAY-5503\",\"amount\":38.50,\"currency\":\"EUR\"}"),
            order("1002", "OrderCancelled", "{\"orderId\":\"1002\",\"reason\":\"payment declined\"}"),
            order(
                    "1003",
                    "OrderShipped",
                    "{\"orderId\":\"1003\",\"carrier\":\"UPS\",\"trackingNumber\":\"1Z999AA10123456784\"}"),
            order("1001", "OrderDelivered", "{\"orderId\":\"1001\",\"signedBy\":\"M. Dupont\"}"));

    /**
     * An order a legacy importer wrote as a CSV line: not JSON, although the type says it is an order. Consumers that
     * parse the data fail on it.
     */
    public static final SampleEvent CSV_ORDER = new SampleEvent(
            "order-1004", "OrderPlaced", "1004;C-31;MUG-001;2;16.00;EUR", "{\"source\":\"legacy-importer\"}");

    private SampleOrders() {}

    /** The correlation id the sample events of an order carry in their metadata. */
    public static String correlationId(String orderId) {
        return "checkout-" + orderId;
    }

    private static SampleEvent order(String orderId, String type, String data) {
        return new SampleEvent(
                "order-" + orderId,
                type,
                data,
                "{\"correlationId\":\"" + correlationId(orderId) + "\",\"source\":\"web-shop\"}");
    }

    /**
     * Writes the sample {@link #EVENTS} to an in-process server, and nothing to a real one (it holds your events).
     *
     * @return what was written, to append to the service's description on the console
     */
    public static String writeTo(ExampleService eventStore) throws Exception {
        if (!eventStore.inProcess()) {
            return "";
        }
        return ", " + write(eventStore.address(), EVENTS) + " sample events written";
    }

    /**
     * Appends the events, one append each, in the given order: JSON data as JSON events, anything else as binary.
     *
     * @param connectionString the EventStoreDB to write to
     * @return how many events were written
     */
    public static int write(String connectionString, List<SampleEvent> events) throws Exception {
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
        try {
            for (SampleEvent event : events) {
                client.appendToStream(event.stream(), toEventData(event)).get(10, TimeUnit.SECONDS);
            }
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
        return events.size();
    }

    private static EventData toEventData(SampleEvent event) {
        byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
        EventDataBuilder builder = event.data().startsWith("{")
                ? EventDataBuilder.json(event.type(), data)
                : EventDataBuilder.binary(event.type(), data);
        return builder.metadataAsBytes(event.metadata().getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
