package dev.camel.eventstore.examples.demo;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.connectors.app.ConnectorsMain;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The demo: the whole mission on one machine.
 *
 * <pre>
 * java -jar examples/target/eventstore-demo.jar [--esdb ...] [--kafka ...] [--http ...] [--rate 20]
 * </pre>
 *
 * <p>Starts the testkit EventStoreDB server, an in-process Kafka broker and a local HTTP receiver (or uses the
 * services given), writes a continuing flow of order events, and runs three connectors on camel-main exactly as
 * the connectors application would: two defined in {@code demo/demo.properties}, one in {@code
 * demo/demo-connectors.yaml}. Progress is printed every few seconds. Ctrl-C stops everything cleanly, the
 * connectors storing their checkpoints last; run again, the connectors resume from them, because the local server
 * and broker keep their data in the data directory.
 */
public final class Demo {
    /** How long the JVM's shutdown waits for the demo to stop its services after Camel stopped. */
    private static final long CLEANUP_SECONDS = 60;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "demo-logback.xml");
        }
        PrintStream out = System.out;
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            out.println(DemoOptions.USAGE);
            return;
        }
        out.println("camel-eventstore demo: starting the services");
        DemoServices services;
        try {
            services = DemoServices.start(options, out);
        } catch (Exception e) {
            System.err.println("The demo did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.exit(run(options, services, out));
    }

    /** Runs the connectors until Camel stops, then stops the demo's own parts and the services. */
    private static int run(DemoOptions options, DemoServices services, PrintStream out) {
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(services.esdb()));
        OrderEventWriter writer = options.rate() > 0 ? new OrderEventWriter(client, options.rate()) : null;
        TopicSize topic = new TopicSize(services.kafka(), "demo-orders");
        ProgressDisplay[] progress = new ProgressDisplay[1];

        Main main = ConnectorsMain.create();
        main.setPropertyPlaceholderLocations("classpath:demo/demo.properties");
        main.addInitialProperty("demo.esdb", services.esdb());
        main.addInitialProperty("demo.kafka", services.kafka());
        main.addInitialProperty("demo.http-url", services.httpUrl());
        main.addInitialProperty("demo.management-port", Integer.toString(options.managementPort()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                out.printf(
                        "%nConnectors failed-payments-log, orders-kafka (demo/demo.properties) and orders-http"
                                + " (demo/demo-connectors.yaml) are running.%nHealth: http://localhost:%d/observe/health"
                                + "  Metrics: http://localhost:%d/observe/metrics%n%s Progress every %d s."
                                + " Ctrl-C stops; run again to resume from the checkpoints.%n",
                        options.managementPort(),
                        options.managementPort(),
                        writer == null
                                ? "Writing no events (--rate 0)."
                                : String.format("Writing %.0f order events per second.", options.rate()),
                        options.progressSeconds());
                if (writer != null) {
                    writer.start();
                }
                progress[0] = new ProgressDisplay(started.getCamelContext(), writer, services.receiver(), topic, out);
                progress[0].start(options.progressSeconds());
            }

            @Override
            public void beforeStop(BaseMainSupport stopping) {
                // the last figures, while the connectors still exist; they store their checkpoints as they stop
                if (progress[0] != null) {
                    progress[0].close();
                    progress[0].print();
                }
            }
        });

        // Camel's own shutdown hook stops the routes (each connector stores its checkpoint, so the event store must
        // still run); this one keeps the JVM alive until the services below are stopped too.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(stopped), "demo-shutdown"));
        int exitCode;
        try {
            exitCode = main.run(new String[0]);
        } catch (Exception e) {
            System.err.println("The demo did not start: " + e.getMessage());
            exitCode = 1;
        }
        try {
            if (writer != null) {
                writer.close();
                out.printf("The order system wrote %,d events in this run.%n", writer.written());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            topic.close();
            client.shutdown();
            services.close();
            out.println("Demo stopped. The checkpoints and the events are kept in " + options.dataDirectory()
                    + ": run again to resume, delete it to start afresh.");
            stopped.countDown();
        }
        return exitCode;
    }

    private static void awaitQuietly(CountDownLatch stopped) {
        try {
            stopped.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
