package dev.camel.eventstore.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.testkit.JavaProcess;
import dev.camel.eventstore.testkit.StandaloneProcessChecks;
import java.nio.file.Path;
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
    private StandaloneBrokerChecks() {}

    /** Waits for the ready line; returns the bootstrap servers it names. */
    static String awaitReady(JavaProcess broker) {
        return StandaloneProcessChecks.awaitReady(
                broker,
                KafkaTestBrokerMain.READY_PREFIX,
                "Kafka test broker ready: bootstrap\\.servers=127\\.0\\.0\\.1:\\d+");
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
        StandaloneProcessChecks.terminatesCleanly(broker, KafkaTestBrokerMain.READY_PREFIX);
        assertThat(logDir.resolve("meta.properties")).exists();
        assertThat(logDir.resolve(".kafka_cleanshutdown"))
                .as("the broker was shut down cleanly")
                .exists();
    }
}
