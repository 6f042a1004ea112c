package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 9: many connectors in one application. For each count, a fresh JVM ({@link ScaleProbeMain}, {@link
 * #JVM}) runs that many idle logger connectors, each with its own prefix filter, against one testkit server in this
 * JVM: live threads and resident set after a full collection once all are subscribed, the server's open client
 * connections, the startup time until all are subscribed, and then the rate of one busy connector added among them
 * (its prefix holds {@link #BUSY_EVENTS} events). One measured run per count: each is a fresh JVM, so there is no
 * warm-up to throw away, and the footprint varies little from run to run.
 */
final class ScaleBenchmark {
    static final int[] COUNTS = {1, 10, 50, 200};
    static final int BUSY_EVENTS = 100_000;
    /** The heap of the connectors application's small deployments; the collector is the JVM's default. */
    static final List<String> JVM = List.of("-Xmx512m", "-Dlogback.configurationFile=benchmarks-logback.xml");
    /** What "a handful of connections" and "under 1 GB" mean for 200 connectors. */
    static final double MAX_CONNECTIONS = 4;

    static final double MAX_RSS_MIB = 1024;

    private ScaleBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        Path directory = Files.createTempDirectory("bench-scale");
        List<Row> rows = new ArrayList<>();
        try (EventStoreTestServer server = Events.server()) {
            Events.seed(server, BUSY_EVENTS, 100, ScaleProbeMain.BUSY_PREFIX);
            for (int count : COUNTS) {
                rows.addAll(measure(server, directory, count));
            }
        } finally {
            Harness.deleteTree(directory);
        }
        return rows;
    }

    private static List<Row> measure(EventStoreTestServer server, Path directory, int count) throws Exception {
        Path workDir = Files.createDirectories(directory.resolve("n" + count));
        double[] ready;
        double[] busy;
        int connections;
        int busyConnections;
        try (JavaProcess app = JavaProcess.start(
                workDir,
                JVM,
                ScaleProbeMain.class,
                server.connectionString(),
                Integer.toString(count),
                Integer.toString(BUSY_EVENTS),
                "n" + count)) {
            ready = fields(app.awaitLine(l -> l.startsWith(ScaleProbeMain.PREFIX + "ready"), Duration.ofMinutes(10)));
            connections = server.openConnections();
            busy = fields(app.awaitLine(l -> l.startsWith(ScaleProbeMain.PREFIX + "busy"), Duration.ofMinutes(10)));
            busyConnections = server.openConnections();
            app.stdout().stream()
                    .filter(l -> l.startsWith(ScaleProbeMain.THREADS))
                    .forEach(l ->
                            Harness.say("scale %d: threads %s", count, l.substring(ScaleProbeMain.THREADS.length())));
        }
        Harness.awaitCount(() -> server.openConnections() == 0 ? 1 : 0, 1, Duration.ofSeconds(30), "disconnects");
        Harness.say(
                "scale %d: started in %.0f ms, %.0f threads, RSS %.0f MiB, %d connections; busy connector %,.0f"
                        + " events/s (%d connections, %.0f threads, RSS %.0f MiB)",
                count,
                ready[0],
                ready[1],
                ready[2] / 1024,
                connections,
                busy[0],
                busyConnections,
                busy[1],
                busy[2] / 1024);
        String n = count + (count == 1 ? " idle connector" : " idle connectors");
        String id = "9." + count;
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(id + "t", n + ": live threads", Row.Unit.COUNT, new double[] {ready[1]}));
        double[] rss = {ready[2] / 1024};
        double[] open = {connections};
        if (count == COUNTS[COUNTS.length - 1]) {
            rows.add(Row.atMost(id + "m", n + ": RSS after full GC", Row.Unit.MEBIBYTES, rss, MAX_RSS_MIB, "< 1 GiB"));
            rows.add(Row.atMost(
                    id + "c", n + ": connections to the server", Row.Unit.COUNT, open, MAX_CONNECTIONS, "<= 4"));
        } else {
            rows.add(Row.of(id + "m", n + ": RSS after full GC", Row.Unit.MEBIBYTES, rss));
            rows.add(Row.of(id + "c", n + ": connections to the server", Row.Unit.COUNT, open));
        }
        rows.add(Row.of(id + "s", n + ": startup until all are subscribed", Row.Unit.MILLIS, new double[] {ready[0]}));
        rows.add(Row.of(
                id + "b",
                String.format("one busy logger connector (%,d events) among %s", BUSY_EVENTS, n),
                Row.Unit.EVENTS_PER_SECOND,
                new double[] {busy[0]}));
        return rows;
    }

    /** The numbers of a probe line after its word: {@code SCALE ready 1234 56 78901}. */
    private static double[] fields(String line) {
        String[] f = line.substring(ScaleProbeMain.PREFIX.length()).split(" ");
        double[] values = new double[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            values[i - 1] = Double.parseDouble(f[i]);
        }
        return values;
    }
}
