package dev.camel.eventstore.examples.demo;

import static dev.camel.eventstore.examples.demo.DemoTest.HTTP_REQUESTS;
import static dev.camel.eventstore.examples.demo.DemoTest.KAFKA_RECORDS;
import static dev.camel.eventstore.examples.demo.DemoTest.received;
import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged demo, run as the README's first command runs it ({@code java -jar examples/target/eventstore-demo.jar},
 * here in a temporary directory, so its default data directory is there too, with a free management port and
 * progress every second): its manifest's class path (target/lib) holds the testkit server and broker, camel-main
 * and the three connectors' sinks. {@link DemoTest} checks the demo's behaviour in depth from the class path; this
 * checks that the jar delivers to all three sinks and stops cleanly.
 */
class DemoJarIT {
    static final Path JAR = Path.of("target", "eventstore-demo.jar");
    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** A row of the progress table: connector, events delivered. */
    private static final Pattern DELIVERED =
            Pattern.compile("^(failed-payments-log|orders-http|orders-kafka)\\s+([\\d,]+)\\s");

    @TempDir
    Path dir;

    @Test
    void deliversToTheLogHttpAndKafkaAndStopsCleanlyOnSigterm() throws Exception {
        try (JavaProcess demo = JavaProcess.startJar(
                dir,
                Map.of(),
                List.of("-Xmx512m"),
                JAR,
                "--rate",
                "50",
                "--progress",
                "1",
                "--management-port",
                Integer.toString(DemoTest.freePort()))) {
            demo.awaitLine(line -> line.contains("[d.failed-payments] Exchange["), STARTUP);
            Map<String, Long> delivered = new HashMap<>();
            demo.awaitLine(
                    line -> {
                        Matcher row = DELIVERED.matcher(line);
                        if (row.find()) {
                            delivered.put(
                                    row.group(1), Long.parseLong(row.group(2).replace(",", "")));
                        }
                        return delivered.size() == 3
                                && delivered.values().stream().allMatch(count -> count > 0)
                                && received(HTTP_REQUESTS, line) > 0
                                && received(KAFKA_RECORDS, line) > 0;
                    },
                    STARTUP);

            assertThat(demo.terminate(Duration.ofSeconds(60))).isIn(0, 143);
            assertThat(demo.stdout())
                    .anyMatch(line -> line.startsWith(
                            "Demo stopped. The checkpoints and the events are kept in" + " examples/target/demo-data"))
                    .noneMatch(line -> line.contains("ERROR"));
            assertThat(dir.resolve("examples/target/demo-data")).isDirectory();
        }
    }
}
