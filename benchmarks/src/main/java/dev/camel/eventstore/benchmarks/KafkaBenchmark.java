package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * Benchmarks B and 3: baseline B (subscription + KafkaProducer by hand) against the Kafka connector, both sending
 * the same catch-up to a topic of their own per run (key = stream, acks=all, idempotent, checkpoints every 1,000
 * events), taking turns; B again with the connector's record headers (Bh), which splits the gap into what the
 * headers cost and what Camel costs; and Bh batching as the connector does (Bt: its producerBatchSize, where B and Bh
 * keep KafkaProducer's default, as a program written with the defaults would), which leaves only Camel's cost. A run
 * ends when Kafka has acknowledged every event.
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
                                "Bh KafkaProducer baseline with the connector's headers",
                                "Bt KafkaProducer baseline with the connector's headers and batch size"),
                        List.of(
                                run -> baseline(broker, cs, o, "baseline-" + run, false, false),
                                run -> {
                                    String topic = "connector-" + run;
                                    broker.createTopic(topic, PARTITIONS);
                                    return connector(context, cs, broker.bootstrapServers(), topic, o, run);
                                },
                                run -> baseline(broker, cs, o, "baseline-headers-" + run, true, false),
                                run -> baseline(broker, cs, o, "baseline-tuned-" + run, true, true)));
                String size = String.format("%,d events, at most %d unacknowledged", o.events(), bound(o));
                String settings = o.kafkaMaxInFlight() > 0
                        ? "maxInFlight " + o.kafkaMaxInFlight() + " from --kafka-max-in-flight, otherwise defaults"
                        : "default settings";
                return List.of(
                        Row.rate("B", "baseline B: subscription + KafkaProducer by hand (" + size + ")", m, 0),
                        Row.cpuSplit("B", m, 0),
                        Row.rate(
                                "3",
                                "Kafka connector (acks=all, idempotent, key=stream, checkpoints on, " + settings + ")",
                                m,
                                1),
                        Row.cpuSplit("3", m, 1),
                        Row.ratio("3/B", "Kafka connector / B, same rounds", m, 1, 0, 0.8),
                        Row.rate("Bh", "baseline B also sending the connector's 9 record headers", m, 2),
                        Row.cpuSplit("Bh", m, 2),
                        Row.ratio("3/Bh", "Kafka connector / Bh, same rounds", m, 1, 2, 1.0),
                        Row.rate("Bt", "baseline Bh with the connector's producer batch size", m, 3),
                        Row.cpuSplit("Bt", m, 3),
                        Row.of(
                                "3/Bt",
                                "Kafka connector / Bt, same rounds",
                                Row.Unit.RATIO,
                                Stats.ratios(m.rates()[1], m.rates()[3])));
            } finally {
                context.stop();
            }
        }
    }

    private static double baseline(
            KafkaBroker broker, String cs, Options o, String topic, boolean withHeaders, boolean connectorBatches)
            throws Exception {
        broker.createTopic(topic, PARTITIONS);
        return BaselineKafka.run(
                cs,
                broker.bootstrapServers(),
                topic,
                o.events(),
                bound(o),
                topic + "-checkpoint",
                withHeaders,
                connectorBatches);
    }

    /**
     * Baseline B's bound on unacknowledged sends: the connector's maxInFlight, the one given or else the template's
     * default, so that both keep as many sends in flight.
     */
    static int bound(Options o) {
        return o.kafkaMaxInFlight() > 0
                ? o.kafkaMaxInFlight()
                : Integer.parseInt(ConnectorRuns.defaultOf(ConnectorTemplates.KAFKA_PARAMETERS, "maxInFlight"));
    }

    /** The connector with its defaults (and maxInFlight if the option gives one), key = stream. */
    private static double connector(
            CamelContext context, String connectionString, String bootstrapServers, String topic, Options o, int run)
            throws Exception {
        Map<String, String> settings = new HashMap<>();
        if (o.kafkaMaxInFlight() > 0) {
            settings.put("maxInFlight", Integer.toString(o.kafkaMaxInFlight()));
        }
        return connector(context, connectionString, bootstrapServers, topic, o.events(), settings, "kafka-" + run);
    }

    /** One run of the Kafka connector, key = stream, with {@code settings} besides its defaults. */
    static double connector(
            CamelContext context,
            String connectionString,
            String bootstrapServers,
            String topic,
            long events,
            Map<String, String> settings,
            String routeId)
            throws Exception {
        Map<String, String> parameters = new HashMap<>(settings);
        parameters.put("topic", topic);
        parameters.put("bootstrapServers", bootstrapServers);
        parameters.put("keyExtraction", "stream");
        return ConnectorRuns.rate(
                context,
                ConnectorTemplates.KAFKA,
                routeId,
                connectionString,
                parameters,
                events,
                Duration.ofMinutes(10));
    }
}
