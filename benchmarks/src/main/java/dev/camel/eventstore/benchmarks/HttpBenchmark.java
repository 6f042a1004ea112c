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
 * Benchmarks C and 4: baseline C (subscription + java.net.http.HttpClient, one POST at a time) against the HTTP
 * connector, one request per event and in batches, all posting the same catch-up to the same local server, taking
 * turns. A run ends when every event was answered with 200.
 */
final class HttpBenchmark {
    private HttpBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        try (EventStoreTestServer server = Events.server();
                CountingHttpServer sink = new CountingHttpServer()) {
            long seedMillis = Events.seed(server, o.httpEvents(), o.streams());
            Harness.say("http: seeded %,d events in %,d ms; sink %s", o.httpEvents(), seedMillis, sink.url());
            CamelContext context = Connectors.context();
            try {
                String cs = server.connectionString();
                int batch = o.httpBatchSize();
                Harness.Interleaved m = Harness.interleaved(
                        o,
                        o.httpEvents(),
                        List.of("C HttpClient baseline", "4 HTTP connector", "4b HTTP connector, batches of " + batch),
                        List.of(
                                run -> BaselineHttp.run(cs, sink.url(), o.httpEvents(), "baseline-checkpoint-" + run),
                                run -> connector(context, cs, sink, o.httpEvents(), "http-" + run, Map.of()),
                                run -> connector(
                                        context,
                                        cs,
                                        sink,
                                        o.httpEvents(),
                                        "http-batch-" + run,
                                        Map.of(
                                                "batchSize",
                                                Integer.toString(batch),
                                                "maxInFlight",
                                                Integer.toString(2 * batch)))));
                String size = String.format("%,d events", o.httpEvents());
                return List.of(
                        Row.rate("C", "baseline C: subscription + HttpClient POST per event (" + size + ")", m, 0),
                        Row.cpuSplit("C", m, 0),
                        Row.rate("4", "HTTP connector, one request per event (default settings)", m, 1),
                        Row.cpuSplit("4", m, 1),
                        Row.ratio("4/C", "HTTP connector / C, same rounds", m, 1, 0, 1.0),
                        Row.rate(
                                "4b",
                                "HTTP connector, batches of " + batch + " (maxInFlight " + 2 * batch
                                        + "): not the defaults, the batched mode on purpose",
                                m,
                                2),
                        Row.cpuSplit("4b", m, 2),
                        Row.ratio("4b/4", "batched / one request per event, same rounds", m, 2, 1, 10.0));
            } finally {
                context.stop();
            }
        }
    }

    static double connector(
            CamelContext context,
            String connectionString,
            CountingHttpServer sink,
            long events,
            String routeId,
            Map<String, String> settings)
            throws Exception {
        Map<String, String> parameters = new HashMap<>(settings);
        parameters.put("url", sink.url());
        return ConnectorRuns.rate(
                context,
                ConnectorTemplates.HTTP,
                routeId,
                connectionString,
                parameters,
                events,
                Duration.ofMinutes(20));
    }
}
