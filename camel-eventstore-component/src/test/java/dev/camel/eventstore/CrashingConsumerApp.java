package dev.camel.eventstore;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A consumer application for the crash test, run in a JVM of its own: a route from {@code eventstore:crash-orders}
 * with {@link EventStoreResumeStrategy} that appends the number of every event it delivers to a file, one line each,
 * with one unbuffered write per event (so that a SIGKILL loses nothing already delivered). It prints {@code started}
 * once the route runs and stops gracefully on SIGTERM.
 *
 * <p>Arguments: connection string, output file, checkpointRecordsThreshold.
 *
 * <p>It also has an agent entry point doing nothing: the test puts this class on the child's class path as a
 * {@code -javaagent} jar, since {@code JavaProcess} leaves test classes off it.
 */
public final class CrashingConsumerApp {
    private CrashingConsumerApp() {}

    public static void premain(String args) {
        // only here so that the jar holding this class can be given as -javaagent, which adds it to the class path
    }

    public static void main(String[] args) throws Exception {
        String connectionString = args[0];
        FileOutputStream out = new FileOutputStream(args[1], true);
        EventStoreResumeStrategy checkpoints = new EventStoreResumeStrategy();
        checkpoints.setCheckpointRecordsThreshold(Integer.parseInt(args[2]));
        checkpoints.setCheckpointInterval(3_600_000);
        checkpoints.setMaxCount(10_000);

        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("checkpoints", checkpoints);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eventstore:crash-orders?connectionString=" + connectionString)
                        .routeId("crash")
                        .resumable("checkpoints")
                        .process(e -> {
                            int n = TestEvents.number(e.getMessage().getBody(byte[].class));
                            out.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                        });
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.stop();
            stopped.countDown();
        }));
        context.start();
        System.out.println("started");
        stopped.await();
    }
}
