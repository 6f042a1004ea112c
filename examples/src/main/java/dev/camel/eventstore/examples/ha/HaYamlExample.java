package dev.camel.eventstore.examples.ha;

import dev.camel.eventstore.examples.support.ExampleMain;
import org.apache.camel.main.Main;

/**
 * High availability for a route of your own, in YAML DSL: {@code ha/yaml/order-audit.camel.yaml} declares the route
 * ({@code from: master:order-audit:eventstore:$all}), the resume strategy and the file lock cluster service; this
 * class only provides an EventStoreDB when none is given, and the replica's id and directory. Its replicas and those
 * of {@link HaExample} are interchangeable: same route id, namespace and checkpoint.
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.ha.HaYamlExample [replica id [cluster root]]
 * </pre>
 */
public final class HaYamlExample {
    private HaYamlExample() {}

    public static void main(String[] args) throws Exception {
        HaLauncher.run("YAML DSL", args, HaYamlExample::create);
    }

    /** The application of one replica, for this EventStoreDB, not yet run. */
    public static Main create(String connectionString, Replica replica) {
        return ExampleMain.create(
                "classpath:ha/yaml/application.properties", HaLauncher.overrides(connectionString, replica));
    }
}
