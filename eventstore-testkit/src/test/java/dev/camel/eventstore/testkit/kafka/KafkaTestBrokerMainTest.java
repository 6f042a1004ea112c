package dev.camel.eventstore.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.kafka.KafkaTestBrokerMain.Options;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaTestBrokerMainTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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
    void exitsWithStatus2AndUsageOnBadArguments(@TempDir Path temp) throws Exception {
        Process process = java(temp, "--port", "not-a-port");
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(temp.resolve("stdout.txt"))).isEmpty();
        assertThat(Files.readString(temp.resolve("stderr.txt")))
                .contains("Error: --port needs a whole number, got 'not-a-port'")
                .contains("Usage: java -jar eventstore-testkit-kafka.jar");
    }

    /** Runs the standalone broker in a fresh JVM, as a demo or benchmark would, and stops it with SIGTERM. */
    @Test
    void runsUntilStoppedAndShutsDownCleanly(@TempDir Path temp) throws Exception {
        Path logDir = temp.resolve("kafka-data");
        long start = System.nanoTime();
        Process process = javaWithPipedStdout(temp, "--port", "0", "--log-dir", logDir.toString(), "--partitions", "3");
        List<String> stdout = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(process, stdout), "kafka-test-broker-main-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(10))
                    .failFast("the broker process exited: " + stderr(temp), () -> !process.isAlive())
                    .until(() -> !stdout.isEmpty());
            System.out.printf(
                    "Standalone broker ready in a fresh JVM %d ms after launch%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            String ready = stdout.get(0);
            assertThat(ready).matches("Kafka test broker ready: bootstrap\\.servers=127\\.0\\.0\\.1:\\d+");
            String bootstrapServers = ready.substring(KafkaTestBrokerMain.READY_PREFIX.length());

            // A real broker: an auto-created topic gets the requested 3 partitions.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("standalone", "key", "value"))
                        .get(30, TimeUnit.SECONDS);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                TopicDescription description = admin.describeTopics(List.of("standalone"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("standalone");
                assertThat(description.partitions()).hasSize(3);
            }

            process.destroy(); // SIGTERM: the shutdown hook stops the broker
            assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hooks ran
            assertThat(stdout).as("stdout holds the ready line only").containsExactly(ready);
            assertThat(logDir.resolve("meta.properties")).exists();
            assertThat(logDir.resolve(".kafka_cleanshutdown"))
                    .as("the broker was shut down cleanly")
                    .exists();
        } finally {
            process.destroyForcibly();
        }
    }

    private static void readLines(Process process, List<String> lines) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("<stdout read failed: " + e + ">");
        }
    }

    private static String stderr(Path temp) {
        try {
            return Files.readString(temp.resolve("stderr.txt"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Process java(Path temp, String... args) throws IOException {
        return processBuilder(temp, args)
                .redirectOutput(temp.resolve("stdout.txt").toFile())
                .start();
    }

    private static Process javaWithPipedStdout(Path temp, String... args) throws IOException {
        return processBuilder(temp, args).start();
    }

    /**
     * The main class and its dependencies without the test classes, so that the process logs as the standalone jar
     * does, not with the test logging configuration.
     */
    private static ProcessBuilder processBuilder(Path temp, String... args) {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(classpath);
        command.add(KafkaTestBrokerMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(temp.resolve("stderr.txt").toFile());
    }
}
