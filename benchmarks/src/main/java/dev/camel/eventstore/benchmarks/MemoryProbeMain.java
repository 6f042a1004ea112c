package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.connectors.app.ConnectorsMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.Main;

/**
 * The memory benchmark's child JVM: the connectors application ({@link ConnectorsMain}, as {@code
 * eventstore-connectors.jar} runs it, with a properties file) plus a sampler thread. The sampler notes the highest
 * heap use it sees (every 10 ms) and, each time the connector has delivered another quarter of the events, the heap
 * in use after a full collection and the process's resident set (VmRSS, VmHWM), printing one line each:
 *
 * <pre>
 * MEM &lt;delivered&gt; &lt;heap after GC, bytes&gt; &lt;VmRSS, kB&gt; &lt;VmHWM, kB&gt; &lt;peak heap so far, bytes&gt;
 * </pre>
 *
 * Arguments: properties file, connector id, number of events.
 */
public final class MemoryProbeMain {
    static final String PREFIX = "MEM ";

    private MemoryProbeMain() {}

    public static void main(String[] args) throws Exception {
        Path properties = Path.of(args[0]);
        String routeId = args[1];
        long events = Long.parseLong(args[2]);
        Main main = ConnectorsMain.create();
        Thread app = new Thread(
                () -> {
                    try {
                        main.run(new String[] {"-pl", "file:" + properties});
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(1);
                    }
                },
                "connectors-main");
        app.start();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        EventStoreConsumer consumer = awaitConsumer(main, routeId);
        long peak = 0;
        int quarter = 1;
        while (quarter <= 4) {
            long used = memory.getHeapMemoryUsage().getUsed();
            peak = Math.max(peak, used);
            long delivered = consumer.getDeliveredCount();
            if (delivered >= events * quarter / 4) {
                System.gc();
                System.gc();
                long afterGc = memory.getHeapMemoryUsage().getUsed();
                System.out.println(PREFIX + delivered + " " + afterGc + " " + status("VmRSS") + " " + status("VmHWM")
                        + " " + peak);
                System.out.flush();
                quarter++;
            }
            Thread.sleep(10);
        }
        Runtime.getRuntime().halt(0);
    }

    private static EventStoreConsumer awaitConsumer(Main main, String routeId) throws InterruptedException {
        while (true) {
            CamelContext context = main.getCamelContext();
            Route route = context == null ? null : context.getRoute(routeId);
            if (route != null && route.getConsumer() instanceof EventStoreConsumer c) {
                return c;
            }
            Thread.sleep(10);
        }
    }

    /** A field of /proc/self/status, in kB. */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
