package dev.camel.eventstore;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the {@link EventStoreResumeStrategy} tests share: a testkit server and a reader of the checkpoint streams for
 * each test, strategies, resumable routes to a {@link Sink}, and contexts stopped after the test.
 */
abstract class ResumeStrategyTestSupport {
    /** Long enough never to fire during a test: writes then come only from counts and from stopping. */
    static final long NEVER = 3_600_000;

    EventStoreTestServer server;

    CheckpointStreams checkpoints;

    final List<CamelContext> contexts = new ArrayList<>();

    /** What a route received: event numbers and the positions the consumer reported, in delivery order. */
    static final class Sink {
        final List<Integer> numbers = new CopyOnWriteArrayList<>();
        final List<String> positions = new CopyOnWriteArrayList<>();

        void record(Exchange exchange) {
            numbers.add(TestEvents.number(exchange.getMessage().getBody(byte[].class)));
            positions.add(exchange.getMessage().getHeader(EventStoreConstants.POSITION, String.class));
        }

        String lastPosition() {
            return positions.get(positions.size() - 1);
        }
    }

    @BeforeEach
    void startServer() {
        server = EventStoreTestServer.startDefault();
        checkpoints = new CheckpointStreams(server);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (CamelContext context : contexts) {
            context.stop();
        }
        checkpoints.close();
        server.close();
    }

    static EventStoreResumeStrategy strategy(int checkpointRecordsThreshold, long checkpointInterval) {
        EventStoreResumeStrategy strategy = new EventStoreResumeStrategy();
        strategy.setCheckpointRecordsThreshold(checkpointRecordsThreshold);
        strategy.setCheckpointInterval(checkpointInterval);
        return strategy;
    }

    /** A strategy storing its checkpoints in another database than the one the route reads. */
    static EventStoreResumeStrategy strategy(
            int checkpointRecordsThreshold, long checkpointInterval, EventStoreTestServer store) {
        EventStoreResumeStrategy strategy = strategy(checkpointRecordsThreshold, checkpointInterval);
        strategy.setConnectionString(store.connectionString());
        return strategy;
    }

    /** {@code eventstore:<stream and options>} on the test server. */
    String uri(String streamAndOptions) {
        return "eventstore:" + streamAndOptions + (streamAndOptions.contains("?") ? "&" : "?") + "connectionString="
                + server.connectionString();
    }

    RouteBuilder route(String routeId, String streamAndOptions, Sink sink) {
        String uri = uri(streamAndOptions);
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).resumable("checkpoints").process(sink::record);
            }
        };
    }

    CamelContext start(EventStoreResumeStrategy strategy, RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("checkpoints", strategy);
        context.addRoutes(routes);
        contexts.add(context);
        context.start();
        return context;
    }

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
