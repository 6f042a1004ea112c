package dev.camel.eventstore.examples.embedded;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.EventStoreComponent;
import dev.camel.eventstore.examples.support.Console;
import dev.camel.eventstore.examples.support.ExampleService;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The component embedded in an application that has its own CamelContext (no camel-main) and routes ({@link
 * CheckoutRoutes}): it adds {@link OrderEventRoutes}, one EventStoreDB client shared by the application, the producer
 * and the checkpoints, and the resume strategy in the registry.
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.embedded.EmbeddedExample
 * </pre>
 */
public final class EmbeddedExample {
    private EmbeddedExample() {}

    public static void main(String[] args) throws Exception {
        ExampleService.runWithEventStore(eventStore -> {
            Console.banner(
                    "Embedded example: the eventstore component in an application's own CamelContext",
                    "routes  checkout (the application's), append-order-placed (producer), order-dashboard (consumer)",
                    "writes  an OrderPlaced event to order-<id> for each of three orders the checkout accepts",
                    "reads   eventstore:$all, streams order-* only: one 'Dashboard:' line per event",
                    "EventStoreDB  " + eventStore.describe(),
                    "Ctrl-C stops it; the dashboard's position is stored and a restart resumes after it.");
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(eventStore.address()));
            CamelContext context = createContext(client, eventStore.address());

            // the application's lifecycle: at Ctrl-C, Camel stops (the consumer stores its position), then the client
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                context.stop();
                                client.shutdown();
                                stopped.countDown();
                            },
                            "shutdown"));
            context.start();

            ProducerTemplate checkout = context.createProducerTemplate();
            for (int i = 0; i < 3; i++) {
                // order ids of their own on each run: the producer refuses to place an order whose stream exists
                String orderId = UUID.randomUUID().toString().substring(0, 8);
                checkout.sendBodyAndHeader(
                        "direct:checkout", order(orderId, 20 + 15 * i), "correlationId", "checkout-" + orderId);
            }
            stopped.await();
        });
    }

    /**
     * The application's CamelContext, not yet started: its own routes, and what it adds for EventStoreDB.
     *
     * @param client the application's client, shared with the producer and the checkpoints; never shut down by Camel
     * @param connectionString for the consumer, which creates a client of its own
     */
    public static CamelContext createContext(EventStoreDBClient client, String connectionString) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("eventStoreClient", client);
        EventStoreResumeStrategy checkpoints = new EventStoreResumeStrategy();
        checkpoints.setClient(client); // positions go to the stream camel-checkpoint-order-dashboard
        context.getRegistry().bind("checkpoints", checkpoints);
        context.getComponent("eventstore", EventStoreComponent.class)
                .getConfiguration()
                .setConnectionString(connectionString);
        context.addRoutes(new CheckoutRoutes());
        context.addRoutes(new OrderEventRoutes());
        return context;
    }

    /** An order line. */
    public record Item(String sku, int quantity) {}

    /** An order as the web shop hands it to the checkout (its fields in this order in the JSON). */
    public static Map<String, Object> order(String orderId, int total) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", "C-17");
        order.put("items", List.of(new Item("BOOK-042", 1)));
        order.put("total", total);
        order.put("currency", "EUR");
        return order;
    }
}
