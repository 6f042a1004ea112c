package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * Benchmarks C and 4: baseline C (subscription + java.net.http.HttpClient, one POST at a time) against the HTTP
 * connector, one request per event and in batches, all posting the same catch-up to the same local server, taking
 * turns. A run ends when every event was answered with 200.
 */
final class HttpBenchmark {
    private HttpBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .seedSystemEvents(false)
                        .build()
                        .start();
                CountingHttpServer sink = new CountingHttpServer()) {
            long seedMillis = Events.seed(server, o.httpEvents(), o.streams());
            Harness.say("http: seeded %,d events in %,d ms; sink %s", o.httpEvents(), seedMillis, sink.url());
            CamelContext context = KafkaBenchmark.connectorContext();
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
                double[][] r = m.rates();
                double[][] cpu = m.cpuMicrosPerEvent();
                String size = String.format("%,d events", o.httpEvents());
                return List.of(
                        Row.of(
                                        "C",
                                        "baseline C: subscription + HttpClient POST per event (" + size + ")",
                                        Row.Unit.EVENTS_PER_SECOND,
                                        r[0])
                                .withCpu(cpu[0]),
                        Row.of("4", "HTTP connector, one request per event", Row.Unit.EVENTS_PER_SECOND, r[1])
                                .withCpu(cpu[1]),
                        Row.atLeast(
                                "4/C",
                                "HTTP connector / C, same rounds",
                                Row.Unit.RATIO,
                                Stats.ratios(r[1], r[0]),
                                1.0),
                        Row.of(
                                        "4b",
                                        "HTTP connector, batches of " + batch + " (maxInFlight " + 2 * batch + ")",
                                        Row.Unit.EVENTS_PER_SECOND,
                                        r[2])
                                .withCpu(cpu[2]),
                        Row.atLeast(
                                "4b/4",
                                "batched / one request per event, same rounds",
                                Row.Unit.RATIO,
                                Stats.ratios(r[2], r[1]),
                                10.0));
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
        long start = System.nanoTime();
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, ConnectorTemplates.HTTP)
                .routeId(routeId)
                .parameter("connectionString", connectionString)
                .parameter("initialPosition", "earliest")
                .parameter("url", sink.url());
        settings.forEach(builder::parameter);
        builder.add();
        long end = Harness.awaitCount(
                () -> Harness.consumer(context, routeId).getDeliveredCount(), events, Duration.ofMinutes(20), routeId);
        Harness.removeRoute(context, routeId);
        return Harness.rate(events, start, end);
    }
}
