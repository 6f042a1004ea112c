package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.resume.Resumables;
import org.junit.jupiter.api.Test;

/**
 * A route resumes from what {@link EventStoreResumeStrategy} stored without losing or repeating events: across
 * restarts, with filters that match nothing, dead-lettered and failing events, positions reported out of order,
 * and one strategy bean serving two routes.
 */
class ResumeStrategyResumeTest extends ResumeStrategyTestSupport {
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
}
