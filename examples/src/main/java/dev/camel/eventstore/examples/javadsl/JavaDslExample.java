package dev.camel.eventstore.examples.javadsl;

import dev.camel.eventstore.examples.support.Console;
import dev.camel.eventstore.examples.support.ExampleMain;
import dev.camel.eventstore.examples.support.ExampleService;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * A Java DSL connector on camel-main: order events from EventStoreDB to Kafka ({@link OrdersToKafkaRoute}).
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.javadsl.JavaDslExample
 * </pre>
 */
public final class JavaDslExample {
    private JavaDslExample() {}

    public static void main(String[] args) throws Exception {
        ExampleService.runWithEventStore(eventStore -> {
            try (ExampleService kafka = ExampleService.kafka()) {
                Console.banner(
                        "Java DSL example: order events from EventStoreDB to Kafka",
                        "reads   eventstore:$all, streams order-* only (filtered on the server)",
                        "writes  Kafka topic 'orders', keyed by stream: one line below per record sent",
                        "EventStoreDB  " + eventStore.describe() + SampleOrders.writeTo(eventStore),
                        "Kafka         " + kafka.describe(),
                        "Ctrl-C stops it; the position is stored in EventStoreDB and a restart resumes after it.");
                create(eventStore.address(), kafka.address()).run(args);
            }
        });
    }

    /** The application, configured for these services but not yet run. */
    public static Main create(String connectionString, String bootstrapServers) {
        Main main = ExampleMain.create(
                "classpath:javadsl/application.properties",
                Map.of("esdb.connection-string", connectionString, "kafka.bootstrap-servers", bootstrapServers));
        // the positions go to the stream camel-checkpoint-orders-to-kafka of the same database
        main.bind("checkpoints", new EventStoreResumeStrategy());
        main.configure().addRoutesBuilder(new OrdersToKafkaRoute());
        return main;
    }
}
