package dev.camel.eventstore.examples.yaml;

import dev.camel.eventstore.examples.support.Console;
import dev.camel.eventstore.examples.support.ExampleMain;
import dev.camel.eventstore.examples.support.ExampleService;
import dev.camel.eventstore.examples.support.SampleOrders;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * Runs the YAML DSL routes of {@code yaml/order-notifications.camel.yaml} on camel-main, configured by {@code
 * yaml/application.properties}: no Java in the routes, this class only provides an EventStoreDB when none is given.
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.yaml.YamlExample
 * </pre>
 */
public final class YamlExample {
    private YamlExample() {}

    public static void main(String[] args) throws Exception {
        ExampleService.runWithEventStore(eventStore -> {
            Console.banner(
                    "YAML DSL example: order notifications decided by YAML routes",
                    "routes  yaml/order-notifications.camel.yaml, settings yaml/application.properties",
                    "reads   eventstore:$all, streams order-* only, from its checkpoint",
                    "writes  one log line per notification (logger 'notifications'), orders of 100 EUR or more"
                            + " to 'notifications.review'",
                    "EventStoreDB  " + eventStore.describe() + SampleOrders.writeTo(eventStore),
                    "Ctrl-C stops it; the position is stored in EventStoreDB and a restart resumes after it.");
            create(eventStore.address()).run(args);
        });
    }

    /** The application, for this EventStoreDB, not yet run. */
    public static Main create(String connectionString) {
        return ExampleMain.create(
                "classpath:yaml/application.properties", Map.of("esdb.connection-string", connectionString));
    }
}
