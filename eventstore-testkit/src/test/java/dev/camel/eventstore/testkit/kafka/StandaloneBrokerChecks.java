package dev.camel.eventstore.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a standalone broker is checked for, whether its main class runs from the class path
 * ({@link KafkaTestBrokerMainTest}) or its packaged jar runs ({@link KafkaTestBrokerJarIT}).
 */
final class StandaloneBrokerChecks {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private StandaloneBrokerChecks() {}

    /** Waits for the ready line; returns the bootstrap servers it names. */
    static String awaitReady(JavaProcess broker) {
        String ready = broker.awaitLine(line -> line.startsWith(KafkaTestBrokerMain.READY_PREFIX), TIMEOUT);
        assertThat(ready).matches("Kafka test broker ready: bootstrap\\.servers=127\\.0\\.0\\.1:\\d+");
        return ready.substring(KafkaTestBrokerMain.READY_PREFIX.length());
    }

    /** Sends the values, keyed by their index, with acks=all, one after the other. */
    static void send(String bootstrapServers, String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < values.length; i++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), values[i]))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * SIGTERM: the shutdown hook stops the broker, which exits with 143 (128 + SIGTERM) having printed nothing but
     * the ready line, and leaves its log directory marked as cleanly shut down.
     */
    static void stopsCleanly(JavaProcess broker, Path logDir) {
        assertThat(broker.terminate(TIMEOUT)).isEqualTo(143);
        assertThat(broker.stdout())
                .as("stdout holds the ready line only")
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith(KafkaTestBrokerMain.READY_PREFIX));
        assertThat(logDir.resolve("meta.properties")).exists();
        assertThat(logDir.resolve(".kafka_cleanshutdown"))
                .as("the broker was shut down cleanly")
                .exists();
    }
}
