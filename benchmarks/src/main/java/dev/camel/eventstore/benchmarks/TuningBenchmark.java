package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.camel.CamelContext;

/**
 * The tuning group: do the defaults cap throughput? For each connector (Kafka, HTTP one request per event, logger)
 * the defaults and the {@link TuningCandidates} take turns in the same rounds; the rows give each one's rate and the
 * defaults over the best other configuration, held to at least 0.90. Fewer events per run and fewer runs than the
 * other groups ({@code --tuning-runs}), to keep its many variants affordable.
 */
final class TuningBenchmark {
    static final int KAFKA_EVENTS = 200_000;
    static final int HTTP_EVENTS = 50_000;
    static final int LOGGER_EVENTS = 100_000;

    /**
     * The testkit server's gRPC handler, quieted: a run stops its route before the end of the seeded log (seeded for
     * the largest of the three), so the server's stream is cut while it writes, which it logs as a warning with its
     * stack. Held here: java.util.logging keeps its loggers only weakly.
     */
    private static final Logger SERVER_HANDLER =
            Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

    private TuningBenchmark() {}

    /** One run of a connector with a candidate's settings; {@code key} is unique to the run (routes, topics). */
    private interface Runner {
        double run(TuningCandidates.Candidate candidate, int key) throws Exception;
    }

    static List<Row> run(Options o) throws Exception {
        int kafkaEvents = Math.min(o.events(), KAFKA_EVENTS);
        int httpEvents = Math.min(o.httpEvents(), HTTP_EVENTS);
        int loggerEvents = Math.min(o.loggerEvents(), LOGGER_EVENTS);
        SERVER_HANDLER.setLevel(Level.SEVERE);
        List<Row> rows = new ArrayList<>();
        Path directory = Files.createTempDirectory("bench-tuning");
        try (EventStoreTestServer server = Events.server();
                KafkaBroker broker = KafkaBroker.start();
                CountingHttpServer sink = new CountingHttpServer()) {
            int seeded = Math.max(kafkaEvents, Math.max(httpEvents, loggerEvents));
            long seedMillis = Events.seed(server, seeded, o.streams());
            Harness.say("tuning: seeded %,d events in %,d ms", seeded, seedMillis);
            CamelContext context = Connectors.context();
            try {
                String cs = server.connectionString();
                Harness.accountCpuOf(broker.pid());
                rows.addAll(tune(
                        o,
                        "T.kafka",
                        "Kafka connector",
                        kafkaEvents,
                        ConnectorTemplates.KAFKA_PARAMETERS,
                        TuningCandidates.kafka(),
                        (candidate, key) -> {
                            String topic = "tuning-" + key;
                            broker.createTopic(topic, KafkaBenchmark.PARTITIONS);
                            return KafkaBenchmark.connector(
                                    context,
                                    cs,
                                    broker.bootstrapServers(),
                                    topic,
                                    kafkaEvents,
                                    candidate.changes(),
                                    "tuning-kafka-" + key);
                        }));
                Harness.stopAccounting(broker.pid());
                rows.addAll(tune(
                        o,
                        "T.http",
                        "HTTP connector, one request per event",
                        httpEvents,
                        ConnectorTemplates.HTTP_PARAMETERS,
                        TuningCandidates.http(),
                        (candidate, key) -> HttpBenchmark.connector(
                                context, cs, sink, httpEvents, "tuning-http-" + key, candidate.changes())));
                rows.addAll(tune(
                        o,
                        "T.logger",
                        "logger connector -> file",
                        loggerEvents,
                        ConnectorTemplates.LOGGER_PARAMETERS,
                        TuningCandidates.logger(),
                        (candidate, key) -> LoggerBenchmark.connector(
                                context,
                                cs,
                                directory.resolve("tuning-" + key + ".log"),
                                loggerEvents,
                                candidate.changes(),
                                key)));
            } finally {
                context.stop();
            }
        } finally {
            Harness.deleteTree(directory);
        }
        return rows;
    }

    /** The candidates of one connector taking turns, then their rows. */
    private static List<Row> tune(
            Options o,
            String id,
            String connector,
            long events,
            List<ConnectorTemplates.Parameter> parameters,
            List<TuningCandidates.Candidate> candidates,
            Runner runner)
            throws Exception {
        List<String> names = new ArrayList<>();
        List<Harness.Variant> variants = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            TuningCandidates.Candidate candidate = candidates.get(i);
            int index = i;
            names.add(id + " " + candidate.label());
            // unique per variant and run: the routes' ids, the topics, the log categories
            variants.add(run -> runner.run(candidate, index * 1000 + run));
        }
        Harness.Interleaved m = Harness.interleaved(o.warmups(), o.tuningRuns(), events, names, variants);
        return TuningRows.of(id, connector, events, TuningCandidates.defaults(parameters, candidates), candidates, m);
    }
}
