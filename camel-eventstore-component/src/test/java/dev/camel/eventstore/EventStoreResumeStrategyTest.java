package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.resume.Resumables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventStoreResumeStrategy} with the real consumer and client against the testkit server: what it stores,
 * where, when, and that a route resumes from it without losing or repeating events.
 */
class EventStoreResumeStrategyTest {
    /** Long enough never to fire during a test: writes then come only from counts and from stopping. */
    private static final long NEVER = 3_600_000;

    private EventStoreTestServer server;
    private CheckpointStreams checkpoints;
    private final List<CamelContext> contexts = new ArrayList<>();

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

    // ---- resuming ----

    @Test
    void resumesAfterEachRestartWithoutLossOrDuplicates() throws Exception {
        Sink sink = new Sink();
        int appended = 0;
        TestEvents.append(server, "orders-0", "OrderPlaced", appended, 300);
        appended += 300;
        for (int run = 0; run < 4; run++) {
            EventStoreResumeStrategy strategy = strategy(50, NEVER);
            CamelContext context = start(strategy, route("orders", "$all?streamNamePrefixes=orders-", sink));
            int caughtUp = appended;
            await().until(() -> sink.numbers.size() >= caughtUp);

            // live appends while the route runs, over several streams and with unrelated events between them
            for (int i = 0; i < 3; i++) {
                TestEvents.append(server, "orders-" + run + "-" + i, "OrderPlaced", appended, 40);
                TestEvents.append(server, "payments-" + run, "PaymentTaken", 0, 5);
                appended += 40;
            }
            int live = appended;
            await().until(() -> sink.numbers.size() >= live);
            context.stop();

            // graceful stop stores exactly the position of the last event delivered
            assertThat(checkpoints.latest("camel-checkpoint-orders")).isEqualTo(sink.lastPosition());
            assertThat(strategy.storedPosition("orders").toString()).isEqualTo(sink.lastPosition());

            // and more events arrive while nothing runs
            TestEvents.append(server, "orders-stopped-" + run, "OrderPlaced", appended, 25);
            appended += 25;
        }
        CamelContext last = start(strategy(50, NEVER), route("orders", "$all?streamNamePrefixes=orders-", sink));
        int total = appended;
        await().until(() -> sink.numbers.size() >= total);
        last.stop();

        assertThat(sink.numbers).containsExactlyElementsOf(range(0, total));
        assertThat(sink.positions).doesNotHaveDuplicates();
    }

    @Test
    void storesJsonCheckpointsInTheDefaultStreamKeepingAtMostMaxCount() throws Exception {
        Sink sink = new Sink();
        EventStoreResumeStrategy strategy = strategy(1, NEVER);
        strategy.setMaxCount(3);
        CamelContext context = start(strategy, route("orders", "orders-1", sink));

        // one event at a time, each written before the next: exactly five checkpoints
        for (int n = 0; n < 5; n++) {
            TestEvents.append(server, "orders-1", "OrderPlaced", n, 1);
            String revision = Integer.toString(n);
            await().until(() -> revision.equals(checkpoints.latest("camel-checkpoint-orders")));
        }
        context.stop();

        List<CheckpointStreams.Stored> stored = checkpoints.read("camel-checkpoint-orders");
        assertThat(stored).hasSize(3);
        assertThat(stored).extracting(CheckpointStreams.Stored::revision).containsExactly(2L, 3L, 4L);
        assertThat(stored).extracting(CheckpointStreams.Stored::position).containsExactly("2", "3", "4");
        assertThat(stored).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo("$checkpoint");
            assertThat(c.contentType()).isEqualTo("application/json");
            assertThat(c.key()).isEqualTo("orders");
            assertThat(c.body().size()).isEqualTo(2);
        });
        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(5);
        assertThat(checkpoints.metadata("camel-checkpoint-orders").getMaxCount())
                .isEqualTo(3L);
        assertThat(sink.numbers).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void streamPrefixAndCheckpointKeyNameTheStreamAndTheStoredKey() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 10);
        Sink first = new Sink();
        EventStoreResumeStrategy strategy = strategy(1000, NEVER);
        strategy.setCheckpointStreamPrefix("cp/");
        String uri = "orders-1?checkpointKey=order-projection";
        CamelContext context = start(strategy, route("orders", uri, first));
        await().until(() -> first.numbers.size() >= 10);
        context.stop();

        assertThat(checkpoints.read("cp/order-projection")).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("order-projection");
            assertThat(c.position()).isEqualTo("9");
        });
        assertThat(checkpoints.read("camel-checkpoint-orders")).isEmpty();
        assertThat(checkpoints.read("cp/orders")).isEmpty();

        // the same key resumes; a route id change does not matter
        TestEvents.append(server, "orders-1", "OrderPlaced", 10, 5);
        Sink second = new Sink();
        EventStoreResumeStrategy again = strategy(1000, NEVER);
        again.setCheckpointStreamPrefix("cp/");
        CamelContext resumed = start(again, route("renamed", uri, second));
        await().until(() -> second.numbers.size() >= 5);
        resumed.stop();
        assertThat(second.numbers).containsExactlyElementsOf(range(10, 15));

        // another key has nothing stored and starts from the beginning
        Sink third = new Sink();
        EventStoreResumeStrategy other = strategy(1000, NEVER);
        other.setCheckpointStreamPrefix("cp/");
        CamelContext fresh = start(other, route("orders", "orders-1?checkpointKey=another", third));
        await().until(() -> third.numbers.size() >= 15);
        fresh.stop();
        assertThat(third.numbers).containsExactlyElementsOf(range(0, 15));
        assertThat(checkpoints.latest("cp/order-projection")).isEqualTo("14");
        assertThat(checkpoints.latest("cp/another")).isEqualTo("14");
    }

    // ---- when it writes ----

    @Test
    void writesOnceEveryCheckpointEveryUpdatesAndOnStop() throws Exception {
        Sink sink = new Sink();
        CamelContext context = start(strategy(5, NEVER), route("orders", "orders-1", sink));

        // deterministic: each batch of exactly checkpointRecordsThreshold events is written before the next is appended
        for (int batch = 1; batch <= 4; batch++) {
            TestEvents.append(server, "orders-1", "OrderPlaced", (batch - 1) * 5, 5);
            int written = batch;
            String position = Integer.toString(batch * 5 - 1);
            await().until(() -> checkpoints.written("camel-checkpoint-orders") == written);
            assertThat(checkpoints.latest("camel-checkpoint-orders")).isEqualTo(position);
        }
        // fewer than checkpointRecordsThreshold updates: nothing is written...
        TestEvents.append(server, "orders-1", "OrderPlaced", 20, 3);
        await().until(() -> sink.numbers.size() >= 23);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> checkpoints.written("camel-checkpoint-orders") == 4);
        // ...until the route stops
        context.stop();

        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(5);
        assertThat(checkpoints.read("camel-checkpoint-orders"))
                .extracting(CheckpointStreams.Stored::position)
                .containsExactly("4", "9", "14", "19", "22");
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 23));
    }

    @Test
    void fastCatchUpWritesNoMoreThanOncePerCheckpointEveryUpdates() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 3000);
        Sink sink = new Sink();
        EventStoreResumeStrategy strategy = strategy(100, NEVER);
        strategy.setMaxCount(1000);
        CamelContext context = start(strategy, route("orders", "orders-1", sink));
        await().until(() -> sink.numbers.size() >= 3000);
        context.stop();

        // 3000 updates: at most 30 writes by count and one on stop, each at least 100 events after the previous
        List<Long> stored = checkpoints.read("camel-checkpoint-orders").stream()
                .map(c -> Long.parseLong(c.position()))
                .toList();
        assertThat(stored).isNotEmpty().hasSizeLessThanOrEqualTo(31).isSorted().doesNotHaveDuplicates();
        assertThat(stored.get(stored.size() - 1)).isEqualTo(2999L);
        for (int i = 1; i < stored.size() - 1; i++) {
            assertThat(stored.get(i) - stored.get(i - 1))
                    .as("events between checkpoints %d and %d of %s", i - 1, i, stored)
                    .isGreaterThanOrEqualTo(100);
        }
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 3000));
    }

    @Test
    void writesPendingUpdatesEveryCheckpointInterval() throws Exception {
        Sink sink = new Sink();
        CamelContext context = start(strategy(1_000_000, 200), route("orders", "orders-1", sink));

        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> "4".equals(checkpoints.latest("camel-checkpoint-orders")));
        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(1);
        // nothing new: the interval writes nothing again
        await().during(Duration.ofMillis(1000))
                .atMost(Duration.ofSeconds(3))
                .until(() -> checkpoints.written("camel-checkpoint-orders") == 1);

        TestEvents.append(server, "orders-1", "OrderPlaced", 5, 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> "7".equals(checkpoints.latest("camel-checkpoint-orders")));
        context.stop();
        // already stored: stopping writes nothing more
        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(2);
    }

    // ---- positions that move without a successful exchange ----

    @Test
    void filteredAllSubscriptionThatMatchesNothingStillAdvancesTheCheckpoint() throws Exception {
        // checkpoints kept in another database, so that their own writes do not move $all here
        try (EventStoreTestServer store = EventStoreTestServer.startDefault();
                CheckpointStreams stored = new CheckpointStreams(store)) {
            TestEvents.append(server, "orders-1", "OrderPlaced", 0, 5);
            TestEvents.append(server, "noise-1", "Noise", 0, 1000);
            String lastNoise = SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition())
                    .toString();
            Sink sink = new Sink();
            String uri = "$all?streamNamePrefixes=orders-&checkpointWindow=32";
            CamelContext context = start(strategy(1_000_000, NEVER, store), route("orders", uri, sink));
            await().until(() -> sink.numbers.size() >= 5);
            EventStoreConsumer consumer = consumer(context, "orders");
            // the server's checkpoints (every 32 events read, and on going live) move the processed position on
            await().until(() -> lastNoise.equals(String.valueOf(consumer.getProcessedPosition())));
            context.stop();

            // and stopping stored it, well after the last event the route received
            assertThat(stored.latest("camel-checkpoint-orders")).isEqualTo(lastNoise);
            assertThat(SubscriptionPosition.parse(lastNoise, true))
                    .isGreaterThan(SubscriptionPosition.parse(sink.lastPosition(), true));

            // the next run starts there, and only new events come
            Sink second = new Sink();
            CamelContext resumed = start(strategy(1_000_000, NEVER, store), route("orders", uri, second));
            EventStoreConsumer again = consumer(resumed, "orders");
            await().until(() -> again.getProcessedPosition() != null);
            assertThat(again.getProcessedPosition().toString()).isEqualTo(lastNoise);
            TestEvents.append(server, "orders-2", "OrderPlaced", 5, 2);
            await().until(() -> second.numbers.size() >= 2);
            resumed.stop();
            assertThat(second.numbers).containsExactly(5, 6);
            assertThat(sink.numbers).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void positionOfADeadLetteredLastEventIsStoredOnStop() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 10);
        Sink sink = new Sink();
        List<Integer> deadLettered = new CopyOnWriteArrayList<>();
        CamelContext context = start(strategy(1_000_000, NEVER), new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead"));
                from("direct:dead")
                        .process(e -> deadLettered.add(
                                TestEvents.number(e.getMessage().getBody(byte[].class))));
                from(uri("orders-1"))
                        .routeId("orders")
                        .resumable("checkpoints")
                        .process(e -> {
                            if (TestEvents.number(e.getMessage().getBody(byte[].class)) == 9) {
                                throw new IllegalStateException("poison event");
                            }
                        })
                        .process(sink::record);
            }
        });
        await().until(() -> deadLettered.size() == 1);
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 9));
        context.stop();

        // the last event never completed successfully, yet its position is what stopping stored
        assertThat(checkpoints.latest("camel-checkpoint-orders")).isEqualTo("9");
        assertThat(deadLettered).containsExactly(9);

        // so it is not delivered again
        Sink second = new Sink();
        CamelContext resumed = start(strategy(1_000_000, NEVER), route("orders", "orders-1", second));
        TestEvents.append(server, "orders-1", "OrderPlaced", 10, 1);
        await().until(() -> second.numbers.size() >= 1);
        resumed.stop();
        assertThat(second.numbers).containsExactly(10);
    }

    @Test
    void storedPositionNeverPassesAnEventThatKeepsFailing() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 10);
        Sink sink = new Sink();
        AtomicInteger attempts = new AtomicInteger();
        EventStoreResumeStrategy strategy = strategy(1, 50);
        strategy.setMaxCount(1000);
        String uri = "orders-1?retryInitialDelay=20&retryMaxDelay=50";
        CamelContext context = start(strategy, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(uri))
                        .routeId("orders")
                        .resumable("checkpoints")
                        .process(e -> {
                            if (TestEvents.number(e.getMessage().getBody(byte[].class)) == 5) {
                                attempts.incrementAndGet();
                                throw new IllegalStateException("fails every time");
                            }
                        })
                        .process(sink::record);
            }
        });
        // retried several times, with checkpoint writes every update and every 50 ms meanwhile
        await().until(() -> attempts.get() >= 6);
        assertThat(checkpoints.latest("camel-checkpoint-orders")).isEqualTo("4");
        context.stop();

        List<Long> stored = checkpoints.read("camel-checkpoint-orders").stream()
                .map(c -> Long.parseLong(c.position()))
                .toList();
        assertThat(stored).isNotEmpty().isSorted().doesNotHaveDuplicates().allMatch(p -> p <= 4);
        assertThat(stored.get(stored.size() - 1)).isEqualTo(4L);
        assertThat(sink.numbers).containsExactly(0, 1, 2, 3, 4);

        // the failed event is the first one the next run gets
        Sink second = new Sink();
        CamelContext resumed = start(strategy(1000, NEVER), route("orders", "orders-1", second));
        await().until(() -> second.numbers.size() >= 5);
        resumed.stop();
        assertThat(second.numbers).containsExactly(5, 6, 7, 8, 9);
    }

    @Test
    void olderPositionsReportedLaterNeverMoveTheCheckpointBack() throws Exception {
        EventStoreResumeStrategy strategy = strategy(1, NEVER);
        strategy.setConnectionString(server.connectionString());
        // the strategy takes its writer thread from the CamelContext, as Camel's resumable() gives it
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.start();
        strategy.setCamelContext(context);
        strategy.start();
        try {
            strategy.updateLastOffset(Resumables.of("direct", "7"));
            strategy.updateLastOffset(Resumables.of("direct", "3"));
            strategy.updateLastOffset(Resumables.of("direct", "7"));
            strategy.flush();
        } finally {
            strategy.stop();
        }
        assertThat(checkpoints.read("camel-checkpoint-direct"))
                .extracting(CheckpointStreams.Stored::position)
                .containsExactly("7");
    }

    // ---- failures of the checkpoint store ----

    @Test
    void failingCheckpointWritesDoNotStopDeliveryAndAreRetriedOnceTheyWork() throws Exception {
        server.failAppends(stream -> stream.startsWith("camel-checkpoint-"), Status.UNAVAILABLE);
        Sink sink = new Sink();
        CamelContext context = start(strategy(10, 100), route("orders", "orders-1", sink));

        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 100);
        await().until(() -> sink.numbers.size() >= 100);
        // every write failed meanwhile (count-based and timed ones): nothing is stored, delivery went on
        assertThat(checkpoints.read("camel-checkpoint-orders")).isEmpty();
        TestEvents.append(server, "orders-1", "OrderPlaced", 100, 20);
        await().until(() -> sink.numbers.size() >= 120);
        assertThat(checkpoints.read("camel-checkpoint-orders")).isEmpty();

        // once the store works again, the pending position is written without any new event
        server.clearAppendFailures();
        await().atMost(Duration.ofSeconds(10)).until(() -> "119".equals(checkpoints.latest("camel-checkpoint-orders")));

        TestEvents.append(server, "orders-1", "OrderPlaced", 120, 30);
        await().until(() -> "149".equals(checkpoints.latest("camel-checkpoint-orders")));
        context.stop();
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 150));

        Sink second = new Sink();
        CamelContext resumed = start(strategy(10, 100), route("orders", "orders-1", second));
        TestEvents.append(server, "orders-1", "OrderPlaced", 150, 1);
        await().until(() -> second.numbers.size() >= 1);
        resumed.stop();
        assertThat(second.numbers).containsExactly(150);
    }

    // ---- one strategy, several routes ----

    @Test
    void oneStrategyBeanServesTwoRoutesWithTheirOwnKeys() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 20);
        TestEvents.append(server, "payments-1", "PaymentTaken", 1000, 30);
        Sink orders = new Sink();
        Sink payments = new Sink();
        CamelContext context = start(strategy(1000, NEVER), twoRoutes(orders, payments));
        await().until(() -> orders.numbers.size() >= 20 && payments.numbers.size() >= 30);
        context.stop();

        assertThat(checkpoints.read("camel-checkpoint-order-key"))
                .extracting(CheckpointStreams.Stored::key, CheckpointStreams.Stored::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("order-key", "19"));
        assertThat(checkpoints.read("camel-checkpoint-payments"))
                .extracting(CheckpointStreams.Stored::key, CheckpointStreams.Stored::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("payments", "29"));

        // both resume from their own position
        TestEvents.append(server, "orders-1", "OrderPlaced", 20, 5);
        TestEvents.append(server, "payments-1", "PaymentTaken", 1030, 7);
        CamelContext resumed = start(strategy(1000, NEVER), twoRoutes(orders, payments));
        await().until(() -> orders.numbers.size() >= 25 && payments.numbers.size() >= 37);

        // stopping one route must not stop checkpointing for the other: the strategy's writer is a service of the
        // CamelContext, so the other route's positions are still written (below, "39")
        EventStoreResumeStrategy shared =
                resumed.getRegistry().lookupByNameAndType("checkpoints", EventStoreResumeStrategy.class);
        resumed.getRouteController().stopRoute("orders");
        assertThat(checkpoints.latest("camel-checkpoint-order-key")).isEqualTo("24");
        TestEvents.append(server, "payments-1", "PaymentTaken", 1037, 3);
        await().until(() -> payments.numbers.size() >= 40);
        resumed.stop();
        // stopped with the last route using it
        assertThat(shared.isStopped()).isTrue();
        assertThat(checkpoints.latest("camel-checkpoint-payments")).isEqualTo("39");

        assertThat(orders.numbers).containsExactlyElementsOf(range(0, 25));
        assertThat(payments.numbers).containsExactlyElementsOf(range(1000, 1040));
    }

    private RouteBuilder twoRoutes(Sink orders, Sink payments) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("orders-1?checkpointKey=order-key"))
                        .routeId("orders")
                        .resumable("checkpoints")
                        .process(orders::record);
                from(uri("payments-1"))
                        .routeId("payments")
                        .resumable("checkpoints")
                        .process(payments::record);
            }
        };
    }

    // ---- helpers ----

    private static EventStoreResumeStrategy strategy(int checkpointRecordsThreshold, long checkpointInterval) {
        EventStoreResumeStrategy strategy = new EventStoreResumeStrategy();
        strategy.setCheckpointRecordsThreshold(checkpointRecordsThreshold);
        strategy.setCheckpointInterval(checkpointInterval);
        return strategy;
    }

    /** A strategy storing its checkpoints in another database than the one the route reads. */
    private static EventStoreResumeStrategy strategy(
            int checkpointRecordsThreshold, long checkpointInterval, EventStoreTestServer store) {
        EventStoreResumeStrategy strategy = strategy(checkpointRecordsThreshold, checkpointInterval);
        strategy.setConnectionString(store.connectionString());
        return strategy;
    }

    /** {@code eventstore:<stream and options>} on the test server. */
    private String uri(String streamAndOptions) {
        return "eventstore:" + streamAndOptions + (streamAndOptions.contains("?") ? "&" : "?") + "connectionString="
                + server.connectionString();
    }

    private RouteBuilder route(String routeId, String streamAndOptions, Sink sink) {
        String uri = uri(streamAndOptions);
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).resumable("checkpoints").process(sink::record);
            }
        };
    }

    private CamelContext start(EventStoreResumeStrategy strategy, RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("checkpoints", strategy);
        context.addRoutes(routes);
        contexts.add(context);
        context.start();
        return context;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
