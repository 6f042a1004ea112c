package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Benchmarks A and 2: the raw client subscription against the {@code eventstore:} consumer routing each event to a
 * processor that does nothing, both catching up from the start of {@code $all}, taking turns.
 */
final class CatchUpBenchmark {
    private CatchUpBenchmark() {}

    static List<Row> run(Options o) throws Exception {
        try (EventStoreTestServer server = Events.server()) {
            long seedMillis = Events.seed(server, o.events(), o.streams());
            Harness.say("catchup: seeded %,d events in %,d ms", o.events(), seedMillis);
            CamelContext context = new DefaultCamelContext();
            context.start();
            try {
                String cs = server.connectionString();
                Harness.Interleaved m = Harness.interleaved(
                        o,
                        o.events(),
                        List.of("A raw subscription", "2 eventstore: consumer"),
                        List.of(run -> RawCatchUp.run(cs, o.events()), run -> consumer(context, cs, o.events(), run)));
                String size = String.format("%,d events", o.events());
                return List.of(
                        Row.rate("A", "raw db-client-java subscription, no-op listener (" + size + ")", m, 0),
                        Row.cpuSplit("A", m, 0),
                        Row.rate("2", "eventstore: consumer -> no-op processor", m, 1),
                        Row.cpuSplit("2", m, 1),
                        Row.ratio("2/A", "eventstore: consumer / A, same rounds", m, 1, 0, 0.9));
            } finally {
                context.stop();
            }
        }
    }

    /** One catch-up of the consumer with its defaults (maxInFlight 1, no checkpoints) into a no-op processor. */
    static double consumer(CamelContext context, String connectionString, long events, int run) throws Exception {
        AtomicLong processed = new AtomicLong();
        String routeId = "noop-" + run;
        long start = System.nanoTime();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eventstore:$all?connectionString=RAW(" + connectionString + ")")
                        .routeId(routeId)
                        .process(exchange -> processed.incrementAndGet());
            }
        });
        long end = Harness.awaitCount(processed::get, events, Duration.ofMinutes(10), routeId);
        Harness.removeRoute(context, routeId);
        return Harness.rate(events, start, end);
    }
}
