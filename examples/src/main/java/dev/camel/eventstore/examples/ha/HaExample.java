package dev.camel.eventstore.examples.ha;

import dev.camel.eventstore.examples.support.ExampleMain;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import org.apache.camel.main.Main;

/**
 * High availability for a route of your own, in Java DSL: {@link OrderAuditRoute} on camel-main, its {@code
 * eventstore:} consumer running on one replica at a time, elected through file locks in a directory the replicas
 * share. Run two copies against the same EventStoreDB (see examples/README.md): one audits, the other stands by;
 * stop the active one and the other takes over after its checkpoint.
 *
 * <pre>
 * java -cp examples/target/eventstore-demo.jar dev.camel.eventstore.examples.ha.HaExample [replica id [cluster root]]
 * </pre>
 */
public final class HaExample {
    private HaExample() {}

    public static void main(String[] args) throws Exception {
        HaLauncher.run("Java DSL", args, HaExample::create);
    }

    /** The application of one replica, for this EventStoreDB, not yet run. */
    public static Main create(String connectionString, Replica replica) {
        Main main = ExampleMain.create(
                "classpath:ha/application.properties", HaLauncher.overrides(connectionString, replica));
        // the positions go to the stream camel-checkpoint-order-audit; only the elected replica loads and writes them
        main.bind("checkpoints", new EventStoreResumeStrategy());
        // camel-main adds a CamelClusterService it finds in the registry to the CamelContext, where master: looks
        main.bind("cluster", replica.clusterService());
        main.configure().addRoutesBuilder(new OrderAuditRoute());
        return main;
    }
}
