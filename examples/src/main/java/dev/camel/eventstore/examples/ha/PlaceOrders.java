package dev.camel.eventstore.examples.ha;

import dev.camel.eventstore.examples.support.Console;
import dev.camel.eventstore.examples.support.ExampleService;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.examples.support.SampleOrders.SampleEvent;
import java.util.List;
import java.util.UUID;

/**
 * Writes the events of one new order to the EventStoreDB that {@value ExampleService#EVENTSTORE_VARIABLE} names, for
 * the replicas of the high availability example to audit: {@code OrderPlaced}, {@code PaymentAuthorized} and {@code
 * OrderShipped} in the stream {@code order-<id>}, the id new on each run unless given.
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.ha.PlaceOrders [order id]
 * </pre>
 */
public final class PlaceOrders {
    private PlaceOrders() {}

    public static void main(String[] args) throws Exception {
        Console.useExampleLogging();
        String connectionString = System.getenv(ExampleService.EVENTSTORE_VARIABLE);
        if (connectionString == null || connectionString.isBlank()) {
            System.err.println("Set " + ExampleService.EVENTSTORE_VARIABLE + " to the EventStoreDB the replicas use,"
                    + " such as esdb://localhost:2113?tls=false");
            System.exit(2);
        }
        String orderId =
                args.length > 0 ? args[0] : UUID.randomUUID().toString().substring(0, 8);
        List<SampleEvent> events = order(orderId);
        SampleOrders.write(connectionString.trim(), events);
        events.forEach(event -> System.out.println("wrote " + event.type() + " to " + event.stream()));
    }

    /** The events of an order, in the order they are written. */
    public static List<SampleEvent> order(String orderId) {
        String stream = "order-" + orderId;
        String metadata = "{\"correlationId\":\"" + SampleOrders.correlationId(orderId) + "\",\"source\":\"web-shop\"}";
        return List.of(
                new SampleEvent(
                        stream,
                        "OrderPlaced",
                        "{\"orderId\":\"" + orderId
                                + "\",\"customerId\":\"C-17\",\"total\":25.00,\"currency\":\"EUR\"}",
                        metadata),
                new SampleEvent(
                        stream,
                        "PaymentAuthorized",
                        "{\"orderId\":\"" + orderId + "\",\"amount\":25.00,\"currency\":\"EUR\"}",
                        metadata),
                new SampleEvent(
                        stream, "OrderShipped", "{\"orderId\":\"" + orderId + "\",\"carrier\":\"DHL\"}", metadata));
    }
}
