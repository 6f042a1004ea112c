package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 7: memory over a catch-up. The connectors application runs in a child JVM with a fixed heap ({@link
 * #HEAP}) and one Kafka connector catching up on all events; {@link MemoryProbeMain} reports the heap after a full
 * collection and the resident set at each quarter of the events, and the highest heap use seen. Growth between the
 * first and the last quarter is what must not happen.
 */
final class MemoryBenchmark {
    /** A fixed heap, committed and touched at start: what the resident set gains after that is native memory. */
    static final List<String> HEAP = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    /** Heap growth after GC from the first quarter to the end that still counts as "does not grow". */
    static final double GROWTH_MIB = 8;

    private MemoryBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        Path directory = Files.createTempDirectory("bench-memory");
        try (EventStoreTestServer server = Events.server();
                KafkaBroker broker = KafkaBroker.start()) {
            long seedMillis = Events.seed(server, o.events(), o.streams());
            Harness.say("memory: seeded %,d events in %,d ms", o.events(), seedMillis);
            int runs = o.runs();
            double[][] heap = new double[4][runs];
            double[][] rss = new double[4][runs];
            double[] peakHeap = new double[runs];
            double[] hwm = new double[runs];
            for (int round = -o.warmups(); round < runs; round++) {
                int run = round + o.warmups();
                String id = "memory-" + run;
                String topic = "memory-" + run;
                broker.createTopic(topic, KafkaBenchmark.PARTITIONS);
                Path props = directory.resolve(id + ".properties");
                ConnectorRuns.writeProperties(
                        props,
                        id,
                        ConnectorTemplates.KAFKA,
                        server.connectionString(),
                        Map.of(
                                "bootstrapServers",
                                broker.bootstrapServers(),
                                "topic",
                                topic,
                                "keyExtraction",
                                "stream"));
                List<String> lines = new ArrayList<>();
                try (JavaProcess app = JavaProcess.start(
                        directory.resolve(id),
                        concat(HEAP, "-Dlogback.configurationFile=benchmarks-logback.xml"),
                        MemoryProbeMain.class,
                        props.toString(),
                        id,
                        Long.toString(o.events()))) {
                    int[] seen = {0};
                    app.awaitLine(l -> l.startsWith(MemoryProbeMain.PREFIX) && ++seen[0] == 4, Duration.ofMinutes(10));
                    app.stdout().stream()
                            .filter(l -> l.startsWith(MemoryProbeMain.PREFIX))
                            .forEach(lines::add);
                }
                StringBuilder report = new StringBuilder();
                for (int q = 0; q < 4; q++) {
                    String[] f = lines.get(q)
                            .substring(MemoryProbeMain.PREFIX.length())
                            .split(" ");
                    double heapMib = Long.parseLong(f[1]) / 1048576.0;
                    double rssMib = Long.parseLong(f[2]) / 1024.0;
                    report.append(String.format(
                            "  %,d events: heap after GC %.1f MiB, RSS %.0f MiB;",
                            Long.parseLong(f[0]), heapMib, rssMib));
                    if (round >= 0) {
                        heap[q][round] = heapMib;
                        rss[q][round] = rssMib;
                        if (q == 3) {
                            hwm[round] = Long.parseLong(f[3]) / 1024.0;
                            peakHeap[round] = Long.parseLong(f[4]) / 1048576.0;
                        }
                    }
                }
                Harness.say("%s memory:%s", round < 0 ? "warm-up" : "run " + (round + 1), report);
            }
            List<Row> rows = new ArrayList<>();
            for (int q = 0; q < 4; q++) {
                long at = (long) o.events() * (q + 1) / 4;
                rows.add(Row.of(
                        "7.h" + (q + 1),
                        String.format("heap used after full GC at %,d events (Kafka connector, -Xmx512m)", at),
                        Row.Unit.MEBIBYTES,
                        heap[q]));
            }
            double[] growth = new double[runs];
            double[] rssGrowth = new double[runs];
            for (int r = 0; r < runs; r++) {
                growth[r] = heap[3][r] - heap[0][r];
                rssGrowth[r] = rss[3][r] - rss[0][r];
            }
            rows.add(Row.atMost(
                    "7.hg",
                    String.format("heap after GC: growth from %,d to %,d events", o.events() / 4, o.events()),
                    Row.Unit.MEBIBYTES,
                    growth,
                    GROWTH_MIB,
                    String.format("<= %.0f MiB", GROWTH_MIB)));
            rows.add(Row.of("7.hp", "peak heap used (sampled every 10 ms)", Row.Unit.MEBIBYTES, peakHeap));
            for (int q = 0; q < 4; q++) {
                long at = (long) o.events() * (q + 1) / 4;
                rows.add(Row.of("7.r" + (q + 1), String.format("RSS at %,d events", at), Row.Unit.MEBIBYTES, rss[q]));
            }
            rows.add(Row.of(
                    "7.rg",
                    String.format("RSS: growth from %,d to %,d events", o.events() / 4, o.events()),
                    Row.Unit.MEBIBYTES,
                    rssGrowth));
            rows.add(Row.of("7.rp", "peak RSS (VmHWM)", Row.Unit.MEBIBYTES, hwm));
            return rows;
        } finally {
            Harness.deleteTree(directory);
        }
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }
}
