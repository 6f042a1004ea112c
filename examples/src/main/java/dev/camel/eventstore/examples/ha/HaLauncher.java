package dev.camel.eventstore.examples.ha;

import dev.camel.eventstore.examples.support.Console;
import dev.camel.eventstore.examples.support.ExampleService;
import dev.camel.eventstore.examples.support.SampleOrders;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.main.Main;

/** What the mains of the two forms of the example share: the replica, the EventStoreDB, the banner. */
final class HaLauncher {
    /** One form of the example: the camel-main application of a replica. */
    @FunctionalInterface
    interface Application {
        Main create(String connectionString, Replica replica);
    }

    private HaLauncher() {}

    /** Runs a replica until Ctrl-C, as {@code main} does: arguments {@code [replica id [cluster root]]}. */
    static void run(String form, String[] args, Application application) throws Exception {
        Replica replica = Replica.from(args, System.getenv());
        ExampleService.runWithEventStore(eventStore -> {
            Console.banner(
                    "High availability example (" + form + "): the order audit on one replica at a time",
                    "reads   master:order-audit:eventstore:$all, streams order-* only, from its checkpoint,"
                            + " on the elected replica only",
                    "writes  one line per event (logger 'order-audit'), starting with the replica's id",
                    "replica '" + replica.id() + "', elected through file locks in " + replica.root(),
                    "EventStoreDB  " + eventStore.describe() + SampleOrders.writeTo(eventStore),
                    eventStore.inProcess()
                            ? "Alone with an in-process EventStoreDB: for two replicas, start the testkit server and"
                                    + " give both ESDB_CONNECTION_STRING (examples/README.md)."
                            : "Start another copy with another id: one audits, the other stands by. Ctrl-C the"
                                    + " active one: the other takes over after its checkpoint.");
            // camel-main's own arguments are not given: the replica's are not its options
            application.create(eventStore.address(), replica).run();
        });
    }

    /** The properties a replica's application overrides: the connection string, the replica's id and root. */
    static Map<String, String> overrides(String connectionString, Replica replica) {
        Map<String, String> overrides = new HashMap<>(replica.properties());
        overrides.put("esdb.connection-string", connectionString);
        return overrides;
    }
}
