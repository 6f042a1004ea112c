package dev.camel.eventstore.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camel.eventstore.testkit.JavaProcess;
import dev.camel.eventstore.testkit.StandaloneProcessChecks;
import dev.camel.eventstore.testkit.kafka.KafkaTestBrokerMain.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaTestBrokerMainTest {
    @Test
    void parsesDefaults() {
        Options options = Options.parse();
        assertThat(options.port()).isEqualTo(9092);
        assertThat(options.logDir()).isNull();
        assertThat(options.partitions()).isEqualTo(1);
        assertThat(options.help()).isFalse();
    }

    @Test
    void parsesAllOptionsInBothForms() {
        assertThat(Options.parse("--port", "19092", "--log-dir", "/tmp/kafka-data", "--partitions", "4"))
                .isEqualTo(new Options(19092, Path.of("/tmp/kafka-data"), 4, false));
        assertThat(Options.parse("--port=0", "--log-dir=data", "--partitions=2"))
                .isEqualTo(new Options(0, Path.of("data"), 2, false));
        assertThat(Options.parse("--help").help()).isTrue();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Options.parse("--verbose"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument: --verbose");
        assertThatThrownBy(() -> Options.parse("9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument: 9092");
        assertThatThrownBy(() -> Options.parse("--port"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port needs a value");
        assertThatThrownBy(() -> Options.parse("--port", "ninety"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port needs a whole number, got 'ninety'");
        assertThatThrownBy(() -> Options.parse("--port", "70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> Options.parse("--partitions", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--partitions must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> Options.parse("--log-dir="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--log-dir needs a directory");
    }

    @Test
    void exitsWithStatus2AndUsageOnBadArguments(@TempDir Path temp) {
        StandaloneProcessChecks.exitsWithUsageError(
                broker(temp, "--port", "not-a-port"),
                "--port needs a whole number, got 'not-a-port'",
                "Usage: java -jar eventstore-testkit-kafka.jar");
    }

    /** Runs the standalone broker in a fresh JVM, as a demo or benchmark would, and stops it with SIGTERM. */
    @Test
    void runsUntilStoppedAndShutsDownCleanly(@TempDir Path temp) throws Exception {
        Path logDir = temp.resolve("kafka-data");
        long start = System.nanoTime();
        try (JavaProcess process = broker(temp, "--port", "0", "--log-dir", logDir.toString(), "--partitions", "3")) {
            String bootstrapServers = StandaloneBrokerChecks.awaitReady(process);
            System.out.printf(
                    "Standalone broker ready in a fresh JVM %d ms after launch%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

            // A real broker: an auto-created topic gets the requested 3 partitions.
            StandaloneBrokerChecks.send(bootstrapServers, "standalone", "value");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                TopicDescription description = admin.describeTopics(List.of("standalone"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("standalone");
                assertThat(description.partitions()).hasSize(3);
            }

            StandaloneBrokerChecks.stopsCleanly(process, logDir);
        }
    }

    private static JavaProcess broker(Path temp, String... args) {
        return JavaProcess.start(temp, List.of("-Xmx512m"), KafkaTestBrokerMain.class, args);
    }
}
