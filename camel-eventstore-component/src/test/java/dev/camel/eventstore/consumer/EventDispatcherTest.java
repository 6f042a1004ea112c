package dev.camel.eventstore.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.EventStoreConfiguration;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher alone, between a buffer the test fills and a real route: dispatch order, the maxInFlight bound, a
 * failed exchange retried with nothing after it dispatched meanwhile, and oneInFlightPerStream. The events are real
 * ones, read from the testkit server; delivery {@code i} is at revision {@code i}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventDispatcherTest {
    private static final EventStoreTestServer SERVER = EventStoreTestServer.startDefault();
    private static final int EVENTS = 12;
    private static List<ResolvedEvent> streamA;
    private static List<ResolvedEvent> streamB;

    private final CompletionTracker tracker = new CompletionTracker();
    private final HoldingSink held = new HoldingSink();
    private CamelContext context;
    private DispatcherHost host;
    private EventDispatcher dispatcher;
    private Thread thread;

    @BeforeAll
    static void events() throws Exception {
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(SERVER.connectionString()));
        try {
            streamA = appendAndRead(client, "dispatcher-a");
            streamB = appendAndRead(client, "dispatcher-b");
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<ResolvedEvent> appendAndRead(EventStoreDBClient client, String stream) throws Exception {
        SERVER.append(
                stream,
                IntStream.range(0, EVENTS)
                        .mapToObj(n -> EventDataBuilder.json(
                                        "Numbered", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                                .build())
                        .toList());
        return client.readStream(stream, ReadStreamOptions.get().forwards().fromStart())
                .get(10, TimeUnit.SECONDS)
                .getEvents();
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (dispatcher != null) {
            dispatcher.stop();
            held.releaseAll();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (context != null) {
            context.stop();
        }
    }

    /** Starts the dispatcher over {@code events} (delivery i at revision i), routing them to {@code sink}. */
    private void start(Processor sink, Consumer<EventStoreConfiguration> options, List<ResolvedEvent> events)
            throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("direct:sink").routeId("sink").process(sink);
            }
        });
        context.start();
        host = new DispatcherHost(context);
        EventStoreConfiguration configuration = new EventStoreConfiguration();
        options.accept(configuration);
        ConsumerSettings settings = ConsumerSettings.of("dispatcher-a", configuration, false);
        EventBuffer buffer = new EventBuffer(events.size());
        buffer.startAt(SubscriptionPosition.START);
        tracker.startAt(SubscriptionPosition.START);
        for (int i = 0; i < events.size(); i++) {
            buffer.put(new Delivery(events.get(i), at(i)), () -> true);
        }
        dispatcher = new EventDispatcher(host, settings, buffer, tracker);
        thread = new Thread(dispatcher, "dispatcher-under-test");
        thread.start();
    }

    private static SubscriptionPosition at(long revision) {
        return SubscriptionPosition.ofRevision(revision);
    }

    private static List<Integer> upTo(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void dispatchesInOrderWithNoMoreThanMaxInFlightAndMovesThePositionOverCompletedRunsOnly() throws Exception {
        start(held, c -> c.setMaxInFlight(4), streamA);

        await().until(() -> held.exchanges.size() == 4);
        await().during(Duration.ofMillis(300)).until(() -> held.arrivals.size() == 4);
        assertThat(held.arrivals).containsExactly(0, 1, 2, 3);

        // 3, 2, 1 complete and make room for 4, 5, 6; 0 is still in flight so the position does not move
        for (int n = 3; n >= 1; n--) {
            held.complete(n);
        }
        await().until(() -> held.exchanges.keySet().equals(Set.of(0, 4, 5, 6)));
        assertThat(tracker.watermark()).isEqualTo(SubscriptionPosition.START);

        held.complete(0);
        await().until(() -> at(3).equals(tracker.watermark()));

        held.releaseAll();
        await().until(() -> at(EVENTS - 1).equals(tracker.watermark()));
        assertThat(held.arrivals).containsExactlyElementsOf(upTo(EVENTS));
        assertThat(held.maxHeld).hasValue(4);
        assertThat(host.delivered).hasValue(EVENTS);
        assertThat(host.failedAttempts).hasValue(0);
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void aFailedExchangeIsRetriedWithAttemptsCountedAndNothingAfterItIsDispatchedMeanwhile() throws Exception {
        List<String> arrivals = new CopyOnWriteArrayList<>();
        List<SubscriptionPosition> watermarkAtRetries = new CopyOnWriteArrayList<>();
        start(
                exchange -> {
                    int n = DispatcherHost.index(exchange);
                    int attempt = exchange.getMessage().getHeader(DispatcherHost.ATTEMPT, Integer.class);
                    arrivals.add(n + "#" + attempt);
                    if (n == 2 && attempt <= 2) {
                        watermarkAtRetries.add(tracker.watermark());
                        throw new IllegalStateException("attempt " + attempt + " fails");
                    }
                },
                c -> {
                    c.setMaxInFlight(4);
                    c.setRetryInitialDelay(20);
                    c.setRetryMaxDelay(20);
                },
                streamA.subList(0, 6));

        await().until(() -> at(5).equals(tracker.watermark()));
        assertThat(arrivals).containsExactly("0#1", "1#1", "2#1", "2#2", "2#3", "3#1", "4#1", "5#1");
        assertThat(watermarkAtRetries).containsExactly(at(1), at(1));
        assertThat(host.delivered).hasValue(6);
        assertThat(host.failedAttempts).hasValue(2);
        assertThat(host.failures).isEmpty();
    }

    @Test
    void aFailureAmongSeveralInFlightHoldsBackNewDispatchesUntilItsRetrySucceeds() throws Exception {
        start(
                held,
                c -> {
                    c.setMaxInFlight(4);
                    c.setRetryInitialDelay(20);
                    c.setRetryMaxDelay(20);
                },
                streamA);
        await().until(() -> held.exchanges.size() == 4);

        held.fail(1);
        held.complete(0);
        held.complete(2);
        held.complete(3);
        // the room freed is not used for 4: only the retry of 1 goes out
        await().until(() -> held.exchanges.containsKey(1));
        await().during(Duration.ofMillis(300)).until(() -> held.arrivals.size() == 5);
        assertThat(held.arrivals).containsExactly(0, 1, 2, 3, 1);
        assertThat(tracker.watermark()).isEqualTo(at(0));

        held.complete(1);
        await().until(() -> tracker.watermark().compareTo(at(3)) >= 0);
        held.releaseAll();
        await().until(() -> at(EVENTS - 1).equals(tracker.watermark()));
        List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, 3, 1));
        expected.addAll(upTo(EVENTS).subList(4, EVENTS));
        assertThat(held.arrivals).containsExactlyElementsOf(expected);
        assertThat(host.delivered).hasValue(EVENTS);
        assertThat(host.failedAttempts).hasValue(1);
    }

    @Test
    void retryMaxAttemptsReachedStopsDispatchingAndReportsTheFailure() throws Exception {
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        start(
                exchange -> {
                    arrivals.add(DispatcherHost.index(exchange));
                    if (DispatcherHost.index(exchange) == 2) {
                        throw new IllegalStateException("event 2 always fails");
                    }
                },
                c -> {
                    c.setRetryInitialDelay(20);
                    c.setRetryMaxAttempts(2);
                },
                streamA.subList(0, 6));

        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(thread.isAlive()).as("the dispatcher stopped").isFalse();
        assertThat(arrivals).containsExactly(0, 1, 2, 2);
        assertThat(tracker.watermark()).isEqualTo(at(1));
        assertThat(host.failures).singleElement().satisfies(reason -> assertThat(reason)
                .contains("the event at 2 failed 2 times")
                .contains("IllegalStateException: event 2 always fails"));
    }

    @Test
    void oneInFlightPerStreamHoldsAnEventWhileItsStreamHasOneInFlight() throws Exception {
        // a0, b0, a1, b1, ...: delivery i is of stream a when i is even
        List<ResolvedEvent> interleaved = new ArrayList<>();
        for (int n = 0; n < EVENTS; n++) {
            interleaved.add(streamA.get(n));
            interleaved.add(streamB.get(n));
        }
        start(
                held,
                c -> {
                    c.setMaxInFlight(4);
                    c.setOneInFlightPerStream(true);
                },
                interleaved);

        // a1 waits for a0 although there is room for four
        await().until(() -> held.exchanges.size() == 2);
        await().during(Duration.ofMillis(300)).until(() -> held.arrivals.size() == 2);
        assertThat(held.arrivals).containsExactly(0, 1);

        // a0 done: a1 goes, and b1 behind it waits for b0
        held.complete(0);
        await().until(() -> held.exchanges.keySet().equals(Set.of(1, 2)));
        await().during(Duration.ofMillis(300)).until(() -> held.arrivals.size() == 3);

        held.releaseAll();
        await().until(() -> at(2 * EVENTS - 1).equals(tracker.watermark()));
        assertThat(held.arrivals).containsExactlyElementsOf(upTo(2 * EVENTS));
        assertThat(held.maxHeld).hasValue(2);
    }

    @Test
    void aMarkerMovesThePositionWithoutAnExchange() throws Exception {
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        List<ResolvedEvent> events = new ArrayList<>(streamA.subList(0, 3));
        events.set(1, null);
        start(exchange -> arrivals.add(DispatcherHost.index(exchange)), c -> {}, events);

        await().until(() -> at(2).equals(tracker.watermark()));
        assertThat(arrivals).containsExactly(0, 2);
        assertThat(host.watermarks).containsExactly(at(0), at(1), at(2));
        assertThat(host.delivered).hasValue(2);
    }

    /**
     * An asynchronous sink that holds each exchange until the test completes or fails it, or, after {@link
     * #releaseAll}, completes everything at once. {@link #arrivals} is the order of dispatch.
     */
    private static final class HoldingSink extends AsyncProcessorSupport {
        private record Held(Exchange exchange, AsyncCallback callback) {}

        final List<Integer> arrivals = new CopyOnWriteArrayList<>();
        final Map<Integer, Held> exchanges = new ConcurrentHashMap<>();
        final AtomicInteger maxHeld = new AtomicInteger();
        private boolean released;

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            int n = DispatcherHost.index(exchange);
            arrivals.add(n);
            synchronized (this) {
                if (!released) {
                    exchanges.put(n, new Held(exchange, callback));
                    maxHeld.accumulateAndGet(exchanges.size(), Math::max);
                    return false;
                }
            }
            callback.done(true);
            return true;
        }

        void complete(int n) {
            exchanges.remove(n).callback().done(false);
        }

        void fail(int n) {
            Held held = exchanges.remove(n);
            held.exchange().setException(new IllegalStateException("event " + n + " fails"));
            held.callback().done(false);
        }

        /** Completes everything held and everything that arrives from now on: a failed test must not hang. */
        void releaseAll() {
            List<Held> release;
            synchronized (this) {
                released = true;
                release = List.copyOf(exchanges.values());
                exchanges.clear();
            }
            // outside the lock: completing an exchange lets the dispatcher send the next one here
            release.forEach(held -> held.callback().done(false));
        }
    }
}
