package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.EventStoreConsumerState;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The scale benchmark's child JVM: one application with {@code count} idle logger connectors, each with its own
 * {@code streamNamePrefixes} filter, started together with the CamelContext (as the connectors application starts
 * them). It prints, once every consumer is subscribed and after a full collection:
 *
 * <pre>
 * SCALE ready &lt;startup ms&gt; &lt;live threads&gt; &lt;VmRSS kB&gt;
 * </pre>
 *
 * then adds one busy connector whose prefix holds {@code busyEvents} events (seeded by the parent) and prints, once
 * it has delivered them all, its rate (timed from adding it) and the process after it:
 *
 * <pre>
 * SCALE busy &lt;events/s&gt; &lt;live threads&gt; &lt;VmRSS kB&gt;
 * </pre>
 *
 * Arguments: connection string, number of idle connectors, busy events, a tag for the route ids. The log level is the benchmarks' (WARN),
 * so the logger connectors format and write nothing: what is measured is the connectors' own cost.
 */
public final class ScaleProbeMain {
    static final String PREFIX = "SCALE ";
    static final String BUSY_PREFIX = "busy-";
    /** The line after each report: its live threads by name. */
    static final String THREADS = "SCALE-THREADS ";

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private ScaleProbeMain() {}

    public static void main(String[] args) throws Exception {
        String connectionString = args[0];
        int count = Integer.parseInt(args[1]);
        long busyEvents = Long.parseLong(args[2]);
        // route ids are checkpoint keys: each JVM's own, so none resumes from an earlier JVM's checkpoint
        String tag = args[3];
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        for (int i = 0; i < count; i++) {
            Connectors.add(
                    context,
                    ConnectorTemplates.LOGGER,
                    tag + "-idle-" + i,
                    parameters(connectionString, "idle-" + i + "-"));
        }
        long start = System.nanoTime();
        context.start();
        awaitSubscribed(context, tag, count);
        long startupMillis = (System.nanoTime() - start) / 1_000_000;
        report("ready " + startupMillis);

        start = System.nanoTime();
        String busy = tag + "-busy";
        Connectors.add(context, ConnectorTemplates.LOGGER, busy, parameters(connectionString, BUSY_PREFIX));
        long end = Harness.awaitCount(
                () -> Harness.consumer(context, busy).getDeliveredCount(), busyEvents, TIMEOUT, busy);
        report("busy " + Math.round(Harness.rate(busyEvents, start, end)));
        Runtime.getRuntime().halt(0);
    }

    private static Map<String, String> parameters(String connectionString, String prefix) {
        return Connectors.fromStart(connectionString, prefix, "logCategory", "bench.scale");
    }

    /** Waits until every consumer has its subscription confirmed by the server. */
    private static void awaitSubscribed(CamelContext context, String tag, int count) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; i < count; i++) {
            while (true) {
                EventStoreConsumerState state =
                        Harness.consumer(context, tag + "-idle-" + i).getState();
                if (state == EventStoreConsumerState.CATCHING_UP || state == EventStoreConsumerState.LIVE) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "connector " + tag + "-idle-" + i + " is " + state + " after " + TIMEOUT);
                }
                Thread.sleep(1);
            }
        }
    }

    /** Prints a line with the live threads and the resident set after a full collection. */
    private static void report(String what) throws IOException, InterruptedException {
        System.gc();
        System.gc();
        Thread.sleep(500);
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.println(PREFIX + what + " " + threads + " " + vmRss());
        System.out.flush();
        System.out.println(THREADS + what.split(" ")[0] + " " + threadsByName());
        System.out.flush();
    }

    /** The live threads grouped by name without numbers ({@code Camel (camel-#) thread ## - EventStoreConsumer}). */
    static Map<String, Long> threadsByName() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(
                        t -> t.getName()
                                .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>")
                                .replaceAll("[0-9]+", "#"),
                        TreeMap::new,
                        Collectors.counting()));
    }

    /** VmRSS of /proc/self/status, in kB. */
    private static long vmRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
