package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.nio.file.Path;

/**
 * The testkit's Kafka broker in a JVM of its own, as a real broker would be (its heap and collector apart from the
 * measured clients'), with deleted topics' files removed at once: each run writes ~1 GB to a topic of its own.
 */
public final class BrokerMain {
    static final String READY = "BROKER READY ";

    private BrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        KafkaTestBroker broker = KafkaTestBroker.builder()
                .logDir(Path.of(args[0]))
                .serverProperty("log.segment.delete.delay.ms", "0")
                .serverProperty("file.delete.delay.ms", "0")
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-close"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
