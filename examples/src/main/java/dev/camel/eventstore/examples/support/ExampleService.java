package dev.camel.eventstore.examples.support;

import dev.camel.eventstore.client.Clients;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A service an example talks to: the one its environment variable names, or else one started in this JVM from the
 * testkit, so that every example runs with nothing else running.
 *
 * <p>Close it after the Camel application stopped: an in-process service stops with it (and the data it holds is
 * gone), a real one is left alone.
 */
public final class ExampleService implements AutoCloseable {
    /** The variable naming a real EventStoreDB, as a connection string: {@code esdb://localhost:2113?tls=false}. */
    public static final String EVENTSTORE_VARIABLE = "ESDB_CONNECTION_STRING";

    /** The variable naming a real Kafka cluster, as bootstrap servers: {@code localhost:9092}. */
    public static final String KAFKA_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";

    private final String variable;
    private final String address;
    private final String description;
    private final AutoCloseable inProcess;
    private final Thread closeAtExit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExampleService(String variable, String address, String description, AutoCloseable inProcess) {
        this.variable = variable;
        this.address = address;
        this.description = description;
        this.inProcess = inProcess;
        if (inProcess == null) {
            closeAtExit = null;
        } else {
            // Ctrl-C ends the JVM as soon as its shutdown hooks are done, maybe before main() gets to close this
            // service (after Camel stopped): this hook waits for the thread that started the service, then closes
            // it, so that an in-process broker deletes its temporary directory
            Thread owner = Thread.currentThread();
            closeAtExit = new Thread(
                    () -> {
                        try {
                            owner.join(30_000);
                            closeInProcess();
                        } catch (Exception e) {
                            // the JVM is going away: nothing left to tell
                        }
                    },
                    "close-" + variable);
            Runtime.getRuntime().addShutdownHook(closeAtExit);
        }
    }

    /** What an example does with the EventStoreDB it talks to. */
    @FunctionalInterface
    public interface Example {
        void run(ExampleService eventStore) throws Exception;
    }

    /**
     * How an example's {@code main} runs it: with the examples' logging ({@link Console#useExampleLogging()}) and
     * {@link #eventStore()}, closed once the example returns.
     */
    public static void runWithEventStore(Example example) throws Exception {
        Console.useExampleLogging();
        try (ExampleService eventStore = eventStore()) {
            example.run(eventStore);
        }
    }

    /** EventStoreDB: {@value #EVENTSTORE_VARIABLE}, or an in-process testkit server on a free port. */
    public static ExampleService eventStore() {
        return eventStore(System.getenv());
    }

    static ExampleService eventStore(Map<String, String> environment) {
        return fromEnvironmentOr(environment, EVENTSTORE_VARIABLE, () -> {
            EventStoreTestServer server = EventStoreTestServer.startDefault();
            return new ExampleService(
                    EVENTSTORE_VARIABLE,
                    server.connectionString(),
                    "in-process testkit server " + server.connectionString(),
                    server);
        });
    }

    /** Kafka: {@value #KAFKA_VARIABLE}, or an in-process single-node broker on a free port. */
    public static ExampleService kafka() {
        return kafka(System.getenv());
    }

    static ExampleService kafka(Map<String, String> environment) {
        return fromEnvironmentOr(environment, KAFKA_VARIABLE, () -> {
            KafkaTestBroker broker = KafkaTestBroker.builder().build().start();
            return new ExampleService(
                    KAFKA_VARIABLE,
                    broker.bootstrapServers(),
                    "in-process broker " + broker.bootstrapServers(),
                    broker);
        });
    }

    private static ExampleService fromEnvironmentOr(
            Map<String, String> environment, String variable, Supplier<ExampleService> startInProcess) {
        String given = environment.get(variable);
        if (given == null || given.isBlank()) {
            return startInProcess.get();
        }
        // a connection string may hold a password: it is never printed
        return new ExampleService(
                variable, given.trim(), Clients.redact(given.trim()) + " (from " + variable + ")", null);
    }

    /** The connection string (EventStoreDB) or bootstrap servers (Kafka) to give Camel. */
    public String address() {
        return address;
    }

    /** Whether the service was started in this JVM (and holds only what the example wrote to it). */
    public boolean inProcess() {
        return inProcess != null;
    }

    /** One line for the console: where the service is, without credentials, and how to use another one. */
    public String describe() {
        return inProcess() ? description + " (set " + variable + " to use yours)" : description;
    }

    @Override
    public void close() throws Exception {
        if (inProcess != null) {
            closeInProcess();
            try {
                Runtime.getRuntime().removeShutdownHook(closeAtExit);
            } catch (IllegalStateException e) {
                // closed by main() during the JVM's shutdown: the hook finds it closed
            }
        }
    }

    private void closeInProcess() throws Exception {
        if (closed.compareAndSet(false, true)) {
            inProcess.close();
        }
    }
}
