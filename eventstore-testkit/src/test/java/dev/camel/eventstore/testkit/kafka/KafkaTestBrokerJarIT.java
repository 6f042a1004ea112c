package dev.camel.eventstore.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged broker jar, run as docs/testkit.md documents it ({@code java -jar
 * eventstore-testkit/target/eventstore-testkit-kafka.jar --port 9092 [--log-dir <dir>]}, on a free port): what the
 * shade plugin left in or out of the jar is a broker that a producer and a consumer work with.
 */
class KafkaTestBrokerJarIT {
    static final Path JAR = Path.of("target", "eventstore-testkit-kafka.jar");

    @Test
    void aProducerAndAConsumerRoundTripThroughTheBroker(@TempDir Path temp) throws Exception {
        Path logDir = temp.resolve("kafka-data");
        try (JavaProcess broker = JavaProcess.startJar(
                temp, Map.of(), List.of("-Xmx512m"), JAR, "--port", "0", "--log-dir", logDir.toString())) {
            String bootstrapServers = StandaloneBrokerChecks.awaitReady(broker);
            StandaloneBrokerChecks.send(bootstrapServers, "jar-round-trip", "first", "second", "third");

            List<String> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "jar-it",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("jar-round-trip"));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
                    return received.size() >= 3;
                });
            }
            assertThat(received).containsExactly("first", "second", "third");

            StandaloneBrokerChecks.stopsCleanly(broker, logDir);
        }
    }
}
