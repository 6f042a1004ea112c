package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * Benchmarks B and 3: baseline B (subscription + KafkaProducer by hand) against the Kafka connector, both sending
 * the same catch-up to a topic of their own per run (key = stream, acks=all, idempotent, checkpoints every 1,000
 * events), taking turns; and B again with the connector's record headers (Bh), which splits the gap into what the
 * headers cost and what Camel costs. A run ends when Kafka has acknowledged every event.
 */
final class KafkaBenchmark {
    static final int PARTITIONS = 4;

    private KafkaBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        try (EventStoreTestServer server = Events.server();
                KafkaBroker broker = KafkaBroker.start()) {
            long seedMillis = Events.seed(server, o.events(), o.streams());
            Harness.say(
                    "kafka: seeded %,d events in %,d ms; broker %s", o.events(), seedMillis, broker.bootstrapServers());
            Harness.accountCpuOf(broker.pid());
            CamelContext context = Connectors.context();
            try {
                String cs = server.connectionString();
                Harness.Interleaved m = Harness.interleaved(
                        o,
                        o.events(),
                        List.of(
                                "B KafkaProducer baseline",
                                "3 Kafka connector",
                                "Bh KafkaProducer baseline with the connector's headers"),
                        List.of(
                                run -> baseline(broker, cs, o, "baseline-" + run, false),
                                run -> {
                                    String topic = "connector-" + run;
                                    broker.createTopic(topic, PARTITIONS);
                                    return connector(context, cs, broker.bootstrapServers(), topic, o, run);
                                },
                                run -> baseline(broker, cs, o, "baseline-headers-" + run, true)));
                double[][] r = m.rates();
                String size = String.format("%,d events, maxInFlight %d", o.events(), o.kafkaMaxInFlight());
                return List.of(
                        Row.rate("B", "baseline B: subscription + KafkaProducer by hand (" + size + ")", m, 0),
                        Row.atLeast(
                                        "3",
                                        "Kafka connector (acks=all, idempotent, key=stream, checkpoints on)",
                                        Row.Unit.EVENTS_PER_SECOND,
                                        r[1],
                                        100_000)
                                .withCpu(m.cpuMicrosPerEvent()[1]),
                        Row.ratio("3/B", "Kafka connector / B, same rounds", m, 1, 0, 1.0),
                        Row.rate("Bh", "baseline B also sending the connector's 9 record headers", m, 2),
                        Row.of("3/Bh", "Kafka connector / Bh, same rounds", Row.Unit.RATIO, Stats.ratios(r[1], r[2])));
            } finally {
                context.stop();
            }
        }
    }

    private static double baseline(KafkaBroker broker, String cs, Options o, String topic, boolean withHeaders)
            throws Exception {
        broker.createTopic(topic, PARTITIONS);
        return BaselineKafka.run(
                cs,
                broker.bootstrapServers(),
                topic,
                o.events(),
                o.kafkaMaxInFlight(),
                topic + "-checkpoint",
                withHeaders);
    }

    static double connector(
            CamelContext context, String connectionString, String bootstrapServers, String topic, Options o, int run)
            throws Exception {
        return ConnectorRuns.rate(
                context,
                ConnectorTemplates.KAFKA,
                "kafka-" + run,
                connectionString,
                Map.of(
                        "topic",
                        topic,
                        "bootstrapServers",
                        bootstrapServers,
                        "keyExtraction",
                        "stream",
                        "maxInFlight",
                        Integer.toString(o.kafkaMaxInFlight())),
                o.events(),
                Duration.ofMinutes(10));
    }
}
