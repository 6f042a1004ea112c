package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

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
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                KafkaBroker broker = KafkaBroker.start()) {
            long seedMillis = Events.seed(server, o.events(), o.streams());
            Harness.say(
                    "kafka: seeded %,d events in %,d ms; broker %s", o.events(), seedMillis, broker.bootstrapServers());
            Harness.accountCpuOf(broker.pid());
            CamelContext context = connectorContext();
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
                        Row.of(
                                        "B",
                                        "baseline B: subscription + KafkaProducer by hand (" + size + ")",
                                        Row.Unit.EVENTS_PER_SECOND,
                                        r[0])
                                .withCpu(m.cpuMicrosPerEvent()[0]),
                        Row.atLeast(
                                        "3",
                                        "Kafka connector (acks=all, idempotent, key=stream, checkpoints on)",
                                        Row.Unit.EVENTS_PER_SECOND,
                                        r[1],
                                        100_000)
                                .withCpu(m.cpuMicrosPerEvent()[1]),
                        Row.atLeast(
                                "3/B",
                                "Kafka connector / B, same rounds",
                                Row.Unit.RATIO,
                                Stats.ratios(r[1], r[0]),
                                1.0),
                        Row.of(
                                        "Bh",
                                        "baseline B also sending the connector's 9 record headers",
                                        Row.Unit.EVENTS_PER_SECOND,
                                        r[2])
                                .withCpu(m.cpuMicrosPerEvent()[2]),
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

    static CamelContext connectorContext() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        context.start();
        return context;
    }

    static double connector(
            CamelContext context, String connectionString, String bootstrapServers, String topic, Options o, int run)
            throws Exception {
        String routeId = "kafka-" + run;
        long start = System.nanoTime();
        TemplatedRouteBuilder.builder(context, ConnectorTemplates.KAFKA)
                .routeId(routeId)
                .parameter("connectionString", connectionString)
                .parameter("initialPosition", "earliest")
                .parameter("topic", topic)
                .parameter("bootstrapServers", bootstrapServers)
                .parameter("keyExtraction", "stream")
                .parameter("maxInFlight", Integer.toString(o.kafkaMaxInFlight()))
                .add();
        long end = Harness.awaitCount(
                () -> Harness.consumer(context, routeId).getDeliveredCount(),
                o.events(),
                Duration.ofMinutes(10),
                routeId);
        Harness.removeRoute(context, routeId);
        return Harness.rate(o.events(), start, end);
    }
}
