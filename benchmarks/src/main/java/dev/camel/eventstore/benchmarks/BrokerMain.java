package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.nio.file.Path;

/**
 * The testkit's Kafka broker in a JVM of its own, as a real broker would be: its heap, collector and CPU apart from
 * the measured clients' (its CPU time is counted in the runs' CPU per event all the same).
 */
public final class BrokerMain {
    static final String READY = "BROKER READY ";

    private BrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        KafkaTestBroker broker =
                KafkaTestBroker.builder().logDir(Path.of(args[0])).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-close"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
