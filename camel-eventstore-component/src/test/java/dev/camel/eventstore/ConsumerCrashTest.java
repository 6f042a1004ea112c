package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.JavaProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer process killed with SIGKILL in the middle of a catch-up, then started again: nothing is lost, order
 * is kept, and what is delivered twice is only what came after the last checkpoint written before the kill.
 *
 * <p>{@link CrashingConsumerApp} runs in a child JVM against a testkit server in this JVM, which outlives it, and
 * writes every event number it delivers to a file.
 */
class ConsumerCrashTest {
    private static final int EVENTS = 50_000;
    private static final int CHECKPOINT_EVERY = 1000;

    @TempDir
    Path dir;

    @Test
    void killedMidCatchUpLosesNothingAndRepeatsAtMostTheEventsAfterTheLastCheckpoint() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                CheckpointStreams checkpoints = new CheckpointStreams(server)) {
            TestEvents.append(server, "crash-orders", "OrderPlaced", 0, EVENTS);
            Path firstOutput = dir.resolve("first.txt");
            Path secondOutput = dir.resolve("second.txt");

            List<Integer> first;
            try (JavaProcess app = start(server, firstOutput, "first")) {
                // kill it once a few checkpoints are stored (the first writes are slow in a cold JVM)
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> checkpoints.written("camel-checkpoint-crash") >= 5);
                app.kill(Duration.ofSeconds(10));
                first = numbers(firstOutput);
            }
            // killed in the middle of the catch-up, after some checkpoints
            assertThat(first.size()).isBetween(5 * CHECKPOINT_EVERY, EVENTS - 1);
            // (isEqualTo: AssertJ's containsExactly is quadratic, seconds on lists this long)
            assertThat(first).isEqualTo(range(0, first.size()));
            List<CheckpointStreams.Stored> stored = checkpoints.read("camel-checkpoint-crash");
            assertThat(stored).isNotEmpty();
            List<Integer> storedPositions =
                    stored.stream().map(c -> Integer.parseInt(c.position())).toList();
            for (int i = 1; i < storedPositions.size(); i++) {
                // written by count: at least checkpointRecordsThreshold events apart
                assertThat(storedPositions.get(i) - storedPositions.get(i - 1))
                        .isGreaterThanOrEqualTo(CHECKPOINT_EVERY);
            }
            int lastStored = storedPositions.get(storedPositions.size() - 1);
            assertThat(lastStored).isLessThan(first.size());

            List<Integer> second;
            try (JavaProcess app = start(server, secondOutput, "second")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> lines(secondOutput) >= EVENTS - (lastStored + 1));
                // SIGTERM: the shutdown hook stops the context gracefully; the JVM then exits with 128 + 15
                assertThat(app.terminate(Duration.ofSeconds(30))).isIn(0, 143);
                second = numbers(secondOutput);
            }

            // the second run starts right after the last stored checkpoint and goes on to the end, in order
            assertThat(second).isEqualTo(range(lastStored + 1, EVENTS));
            // so together nothing is lost, and the repeated events are those after the checkpoint
            int duplicates = first.size() - (lastStored + 1);
            // the route waits for each count-triggered write, so at most checkpointRecordsThreshold events come after
            // it
            assertThat(duplicates).isBetween(0, CHECKPOINT_EVERY);
            List<Integer> all = new ArrayList<>(first);
            all.addAll(second);
            assertThat(all).hasSize(EVENTS + duplicates);
            TreeSet<Integer> distinct = new TreeSet<>(all);
            assertThat(distinct).hasSize(EVENTS);
            assertThat(distinct.first()).isZero();
            assertThat(distinct.last()).isEqualTo(EVENTS - 1);
            // and the graceful stop stored the end
            assertThat(checkpoints.latest("camel-checkpoint-crash")).isEqualTo(Integer.toString(EVENTS - 1));
            System.out.printf(
                    "crash test: killed after %d events, checkpoints stored before the kill %s, %d delivered twice%n",
                    first.size(), storedPositions, duplicates);
        }
    }

    private JavaProcess start(EventStoreTestServer server, Path output, String name) throws IOException {
        Path logging = dir.resolve("logback.xml");
        Files.writeString(
                logging,
                """
                <configuration>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="STDERR"/></root>
                </configuration>
                """);
        JavaProcess app = JavaProcess.start(
                dir.resolve(name),
                List.of(
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=" + logging,
                        "-javaagent:" + appJar()),
                CrashingConsumerApp.class,
                server.connectionString(),
                output.toString(),
                Integer.toString(CHECKPOINT_EVERY));
        app.awaitLine("started"::equals, Duration.ofSeconds(60));
        return app;
    }

    /**
     * {@code JavaProcess} starts the child with this JVM's class path less the test classes: the app and the test
     * helper it uses go into a jar given as {@code -javaagent}, which the JVM appends to the class path.
     */
    private Path appJar() throws IOException {
        Path jar = dir.resolve("crashing-consumer-app.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Path classes;
        try {
            classes = Path.of(CrashingConsumerApp.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), CrashingConsumerApp.class.getName());
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : List.of(CrashingConsumerApp.class, TestEvents.class)) {
                String prefix = type.getName().replace('.', '/');
                try (Stream<Path> all = Files.walk(classes.resolve(prefix).getParent())) {
                    for (Path each : all.toList()) {
                        String name = classes.relativize(each).toString().replace('\\', '/');
                        if (name.equals(prefix + ".class") || name.startsWith(prefix + "$")) {
                            out.putNextEntry(new JarEntry(name));
                            out.write(Files.readAllBytes(each));
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        return jar;
    }

    private static long lines(Path file) {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            try (Stream<String> lines = Files.lines(file)) {
                return lines.count();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> numbers(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(Integer::parseInt).toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
