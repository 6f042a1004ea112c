package dev.camel.eventstore.examples.eip;

import dev.camel.eventstore.examples.support.Console;
import dev.camel.eventstore.examples.support.ExampleMain;
import dev.camel.eventstore.examples.support.ExampleService;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * Filter and transform EIPs on order events ({@link OrderEventRoutes}), on camel-main.
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.eip.EipExample
 * </pre>
 */
public final class EipExample {
    private EipExample() {}

    public static void main(String[] args) throws Exception {
        ExampleService.runWithEventStore(eventStore -> {
            String samples = SampleOrders.writeTo(eventStore);
            if (eventStore.inProcess()) {
                // an order that is not JSON, for the dead letter channel
                SampleOrders.write(eventStore.address(), List.of(SampleOrders.CSV_ORDER));
                samples += " and one order in CSV, not JSON";
            }
            Console.banner(
                    "EIP example: content-based routing, transformation, enrichment, dead letter channel",
                    "reads   eventstore:$all, streams order-* only, from its checkpoint",
                    "routes  OrderPlaced -> shipment request, to the log 'orders.fulfilment'",
                    "        Payment* -> 'orders.billing'; OrderShipped/Delivered/Cancelled -> 'orders.tracking'",
                    "        other types are left out",
                    "fails   to the stream " + OrderEventRoutes.DEAD_LETTER_STREAM
                            + " with the reason (a WARN line each); the route moves on",
                    "EventStoreDB  " + eventStore.describe() + samples,
                    "Ctrl-C stops it; the position is stored in EventStoreDB and a restart resumes after it.");
            create(eventStore.address()).run(args);
        });
    }

    /** The application, for this EventStoreDB, not yet run. */
    public static Main create(String connectionString) {
        Main main = ExampleMain.create(
                "classpath:eip/application.properties", Map.of("esdb.connection-string", connectionString));
        // the positions go to the stream camel-checkpoint-order-events of the same database
        main.bind("checkpoints", new EventStoreResumeStrategy());
        main.configure().addRoutesBuilder(new OrderEventRoutes());
        return main;
    }
}
