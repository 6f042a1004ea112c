package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * What the consumer tests share: a route to a sink, a client, the consumer, its health, its logs, a sink of numbers.
 */
final class ConsumerFaultSupport {
    private ConsumerFaultSupport() {}

    /** A route from the URI to the sink. */
    static RouteBuilder route(String uri, String routeId, Consumer<Exchange> sink) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(sink::accept);
            }
        };
    }

    /** A route from the URI through {@code step} to the sink. */
    static RouteBuilder route(String uri, String routeId, Processor step, Sink sink) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(step).process(sink::add);
            }
        };
    }

    /** Adds a route from the URI to a new recorder, which it returns; the context starts it with the others. */
    static Recorder recording(CamelContext context, String uri, String routeId) throws Exception {
        Recorder recorder = new Recorder();
        context.addRoutes(route(uri, routeId, recorder));
        return recorder;
    }

    /** A client of the server, for what a test writes or reads itself; the test shuts it down. */
    static EventStoreDBClient client(EventStoreTestServer server) {
        return EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    static EventStoreConsumer consumer(CamelContext context, String routeId) {
        return (EventStoreConsumer) context.getRoute(routeId).getConsumer();
    }

    static ServiceStatus routeStatus(CamelContext context, String routeId) {
        return context.getRouteController().getRouteStatus(routeId);
    }

    /** The consumer's health check result, read through Camel's health check registry. */
    static HealthCheck.Result health(CamelContext context, String routeId) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context);
        String id = "consumer:eventstore-" + routeId;
        return results.stream()
                .filter(r -> r.getCheck().getId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + id + " among "
                        + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    static String healthMessage(CamelContext context, String routeId) {
        return health(context, routeId).getMessage().orElse("");
    }

    /** The number of a numbered test event ({@link TestEvents}) carried by an exchange. */
    static int number(Exchange exchange) {
        return TestEvents.number(exchange.getMessage().getBody(byte[].class));
    }

    /** Counts the attempts at event {@code event} and fails each with what {@code failure} gives, unless null. */
    static Processor failAt(int event, AtomicInteger attempts, Supplier<Exception> failure) {
        return exchange -> {
            if (number(exchange) == event) {
                attempts.incrementAndGet();
                Exception cause = failure.get();
                if (cause != null) {
                    throw cause;
                }
            }
        };
    }

    /**
     * An asynchronous route step, as Kafka's and HTTP's producers are: it sees each exchange arrive in dispatch
     * order, then completes it on the scheduler after {@code minMillis} to {@code maxMillis} - 1 ms (so out of order
     * when they differ), running {@code completion}, which may fail it, just before.
     */
    static AsyncProcessor completingLater(
            ScheduledExecutorService scheduler,
            int minMillis,
            int maxMillis,
            Consumer<Exchange> arrival,
            Consumer<Exchange> completion) {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                arrival.accept(exchange);
                scheduler.schedule(
                        () -> {
                            completion.accept(exchange);
                            callback.done(false);
                        },
                        ThreadLocalRandom.current().nextInt(minMillis, maxMillis),
                        TimeUnit.MILLISECONDS);
                return false;
            }
        };
    }

    /** Numbers of the events that reached the end of a route, in arrival order. */
    static final class Sink {
        final List<Integer> received = new CopyOnWriteArrayList<>();

        void add(Exchange exchange) {
            received.add(number(exchange));
        }

        int size() {
            return received.size();
        }

        /** Every event from 0 to count - 1 exactly once, in order: no loss, no duplicate, no reordering. */
        void assertExactlyOnceInOrder(int count) {
            List<Integer> expected = IntStream.range(0, count).boxed().toList();
            List<Integer> actual = new ArrayList<>(received);
            if (!actual.equals(expected)) {
                throw new AssertionError("expected events 0.." + (count - 1) + " exactly once in order, got "
                        + actual.size() + " events; " + describeDifference(actual, count));
            }
        }

        private static String describeDifference(List<Integer> actual, int count) {
            for (int i = 0; i < actual.size(); i++) {
                if (i >= count || actual.get(i) != i) {
                    return "first difference at index " + i + ": "
                            + actual.subList(Math.max(0, i - 3), Math.min(actual.size(), i + 4));
                }
            }
            return "missing the events from " + actual.size();
        }
    }

    /** Captures what the consumer logs (its classes all log through the EventStoreConsumer logger). */
    static final class LogCapture extends dev.camel.eventstore.testkit.support.LogCapture {
        LogCapture() {
            super(EventStoreConsumer.class);
        }

        void assertNone(Level level, String containing) {
            assertThat(messages(level)).noneMatch(m -> m.contains(containing));
        }
    }
}
