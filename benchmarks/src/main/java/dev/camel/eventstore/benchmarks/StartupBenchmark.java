package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Benchmark 8: startup. The connectors application as users run it, {@code java -jar
 * routes/target/eventstore-connectors.jar -pl file:connectors.properties} with no JVM options, one HTTP connector
 * from the earliest position; measured from starting the process to the first event arriving at the HTTP server.
 * Each run has a connector id of its own, so it starts without a checkpoint.
 */
final class StartupBenchmark {
    private static final int EVENTS = 1000;

    private StartupBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        Path jar = connectorsJar();
        Path directory = Files.createTempDirectory("bench-startup");
        try (EventStoreTestServer server = Events.server();
                CountingHttpServer sink = new CountingHttpServer()) {
            Events.seed(server, EVENTS, o.streams());
            double[] millis = new double[o.runs()];
            for (int round = -o.warmups(); round < o.runs(); round++) {
                String id = "startup-" + (round + o.warmups());
                Path props = directory.resolve(id + ".properties");
                ConnectorRuns.writeProperties(
                        props, id, ConnectorTemplates.HTTP, server.connectionString(), Map.of("url", sink.url()));
                List<String> command = new ArrayList<>();
                command.add(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(List.of("-jar", jar.toString(), "-pl", "file:" + props));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve(id + ".log").toFile());
                long start = System.nanoTime();
                Process process = builder.start();
                try {
                    long deadline = start + TimeUnit.MINUTES.toNanos(2);
                    Long first;
                    while ((first = sink.firstRequest(id)) == null) {
                        if (!process.isAlive() || System.nanoTime() > deadline) {
                            throw new TimeoutException("no event from " + id + "; its output:\n"
                                    + Files.readString(directory.resolve(id + ".log")));
                        }
                        Thread.sleep(1);
                    }
                    double ms = (first - start) / 1e6;
                    Harness.say(
                            "%s startup: first event after %,.0f ms", round < 0 ? "warm-up" : "run " + (round + 1), ms);
                    if (round >= 0) {
                        millis[round] = ms;
                    }
                } finally {
                    process.destroy();
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
            return List.of(Row.of(
                    "8",
                    "startup: java -jar eventstore-connectors.jar to the first event at the HTTP sink",
                    Row.Unit.MILLIS,
                    millis));
        } finally {
            Harness.deleteTree(directory);
        }
    }

    /** routes/target/eventstore-connectors.jar, from the working directory or beside this jar's module. */
    static Path connectorsJar() throws IOException {
        String configured = System.getProperty("benchmarks.connectorsJar");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("routes", "target", "eventstore-connectors.jar"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith("eventstore-benchmarks.jar")) {
                // benchmarks/target/eventstore-benchmarks.jar -> routes/target/eventstore-connectors.jar
                Path module = Path.of(entry).toAbsolutePath().getParent().getParent();
                candidates.add(module.resolveSibling("routes").resolve("target").resolve("eventstore-connectors.jar"));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IOException("The connectors application is not built (looked for " + candidates + "): build with"
                + " ./mvnw -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests");
    }
}
