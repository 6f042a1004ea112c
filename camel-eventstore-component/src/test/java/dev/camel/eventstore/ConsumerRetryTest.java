package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.completingLater;
import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.number;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * A failed exchange under failedExchangeAction=RETRY: redelivered with bounded exponential backoff, never skipped,
 * nothing after it delivered and the processed position never past it until it succeeds; a rollback-only exchange
 * counts as failed; a suspended route delivers it again when resumed; a failure the route's error handler handled
 * (dead letter channel) lets the position move on.
 */
class ConsumerRetryTest extends ConsumerFailureTestSupport {
    /** The position of the event an exchange carries, as the consumer records it. */
    private static SubscriptionPosition positionOf(Exchange exchange, boolean all) {
        return SubscriptionPosition.parse(
                exchange.getMessage().getHeader(EventStoreConstants.POSITION, String.class), all);
    }

    @Test
    void retryRedeliversTheFailedEventWithBoundedGrowingDelaysAndHoldsBackEverythingAfterIt() throws Exception {
        String stream = SERVER.streamWith("retry", 10);
        int failingEvent = 3;
        int failures = 7;
        List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        List<List<Integer>> sinkAtEachAttempt = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        List<Integer> attemptHeaders = new CopyOnWriteArrayList<>();
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(route(
                    SERVER.uri(stream, "retryInitialDelay=50&retryMaxDelay=200"),
                    "retry",
                    e -> {
                        // the position of an event is never recorded before its exchange completed
                        SubscriptionPosition processed =
                                consumer(e.getContext(), "retry").getProcessedPosition();
                        if (!positionOf(e, false).isAfter(processed)) {
                            violations.add("event " + number(e) + " in flight, processed " + processed);
                        }
                        if (number(e) == failingEvent) {
                            attemptHeaders.add(
                                    e.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT, Integer.class));
                            attemptNanos.add(System.nanoTime());
                            sinkAtEachAttempt.add(List.copyOf(sink.received));
                            if (attemptNanos.size() <= failures) {
                                throw new IllegalStateException("attempt " + attemptNanos.size() + " fails");
                            }
                        }
                    },
                    sink));
            EventStoreConsumer consumer = consumer(context, "retry");

            // while it is retried, nothing after it reaches the sink and the position stays before it
            await().until(() -> attemptNanos.size() >= 3);
            assertThat(sink.received).containsExactly(0, 1, 2);
            assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.ofRevision(2));

            await().until(() -> sink.size() == 10);
            sink.assertExactlyOnceInOrder(10);
            assertThat(attemptNanos).hasSize(failures + 1);
            assertThat(attemptHeaders).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            // every other event once; the failing one 8 times, 7 of them failed
            assertThat(consumer.getDeliveredCount()).isEqualTo(10);
            assertThat(consumer.getFailedCount()).isEqualTo(failures);
            assertThat(sinkAtEachAttempt).allSatisfy(seen -> assertThat(seen).containsExactly(0, 1, 2));
            await().until(() -> SubscriptionPosition.ofRevision(9).equals(consumer.getProcessedPosition()));
            assertThat(violations).isEmpty();

            // delays 50, 100, 200 (doubling: lower bounds, as scheduling only adds), then capped at
            // retryMaxDelay = 200 (uncapped: 400, 800, 1600)
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < attemptNanos.size(); i++) {
                gaps.add(TimeUnit.NANOSECONDS.toMillis(attemptNanos.get(i) - attemptNanos.get(i - 1)));
            }
            assertThat(gaps.get(0)).isGreaterThanOrEqualTo(50);
            assertThat(gaps.get(1)).isGreaterThanOrEqualTo(100);
            assertThat(gaps.get(2)).isGreaterThanOrEqualTo(200);
            List<Long> capped = gaps.subList(3, 6);
            assertThat(capped).as("gaps %s", gaps).allSatisfy(gap -> assertThat(gap)
                    .isGreaterThanOrEqualTo(200L));
            // uncapped they would take 400 + 800 + 1600 ms; capped at 200 ms they take 600 ms plus scheduling
            assertThat(capped.stream().mapToLong(Long::longValue).sum())
                    .as("gaps %s", gaps)
                    .isLessThan(1200L);
            // one WARN for the failure, not one per attempt; one INFO when it got through
            assertThat(logs.count(Level.WARN, "failed")).isEqualTo(1);
            assertThat(logs.count(Level.INFO, "delivered after " + (failures + 1) + " attempts"))
                    .isEqualTo(1);
            assertThat(routeStatus(context, "retry")).isEqualTo(ServiceStatus.Started);
        }
    }

    @Test
    void retryKeepsOrderWhenTheRouteCompletesAsynchronously() throws Exception {
        String stream = SERVER.newStream("async-retry");
        int total = 50;
        TestEvents.append(SERVER.server(), stream, TYPE, 0, total);
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        ScheduledExecutorService completer = routes.scheduler(1);

        // maxInFlight=1 (the default); the sink completes its exchanges on a thread of its own, as asynchronous
        // producers (Kafka, HTTP) do, and fails event 3 twice
        CamelContext context = routes.startThrough(
                SERVER.uri(stream, "retryInitialDelay=50"),
                "async-retry",
                completingLater(completer, 1, 2, e -> arrivals.add(number(e)), e -> {
                    if (number(e) == 3 && failures.get() < 2) {
                        failures.incrementAndGet();
                        e.setException(new IllegalStateException("fails"));
                    }
                }));
        EventStoreConsumer consumer = consumer(context, "async-retry");

        await().until(() -> SubscriptionPosition.ofRevision(total - 1).equals(consumer.getProcessedPosition()));
        List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, 3, 3));
        expected.addAll(IntStream.range(3, total).boxed().toList());
        assertThat(arrivals)
                .as("nothing after event 3 reaches the sink before 3 succeeded")
                .isEqualTo(expected);
    }

    @Test
    void anExchangeMarkedRollbackOnlyIsRetriedNotPassed() throws Exception {
        String prefix = SERVER.newStream("rollback") + "-";
        TestEvents.append(SERVER.server(), prefix + "a", TYPE, 0, 4);
        AtomicInteger rollbacks = new AtomicInteger();
        Sink sink = new Sink();
        java.util.concurrent.atomic.AtomicReference<String> lastPosition =
                new java.util.concurrent.atomic.AtomicReference<>();

        CamelContext context = routes.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(SERVER.uri("$all", "streamNamePrefixes=" + prefix + "&retryInitialDelay=50&retryMaxDelay=50"))
                        .routeId("rollback")
                        .process(e -> {
                            // a rollback without an exception, twice: the event must not count as processed
                            if (number(e) == 2 && rollbacks.incrementAndGet() <= 2) {
                                e.setRollbackOnly(true);
                            }
                        })
                        .filter(e -> !e.isRollbackOnly())
                        .process(sink::add)
                        .process(e ->
                                lastPosition.set(e.getMessage().getHeader(EventStoreConstants.POSITION, String.class)));
            }
        });
        EventStoreConsumer consumer = consumer(context, "rollback");

        await().until(() -> sink.received.size() == 4);
        assertThat(sink.received).containsExactly(0, 1, 2, 3);
        assertThat(rollbacks).hasValue(3);
        await().until(() -> consumer.getProcessedPosition() != null
                && consumer.getProcessedPosition().toString().equals(lastPosition.get()));
    }

    @Test
    void aRouteSuspendedWhileAnEventAwaitsItsRetryDeliversItAgainWhenResumedAndMovesOn() throws Exception {
        EventTwoFails failing = new EventTwoFails("suspend", 6, () -> new IllegalStateException("event 2 fails"));

        // the first retry would come only after a minute: the route is suspended before that
        CamelContext context = failing.start("retryInitialDelay=60000");
        await().until(() -> failing.attempts.get() == 1);
        failing.assertHeldAtEventTwo(context);

        context.getRouteController().suspendRoute("suspend");
        assertThat(routeStatus(context, "suspend")).isIn(ServiceStatus.Suspended, ServiceStatus.Stopped);
        failing.fix();
        context.getRouteController().resumeRoute("suspend");

        // without a resume strategy it starts again from initialPosition: 0 and 1 arrive a second time
        await().until(() -> failing.sink.size() == 2 + 6);
        assertThat(failing.sink.received).containsExactly(0, 1, 0, 1, 2, 3, 4, 5);
        EventStoreConsumer resumed = consumer(context, "suspend");
        await().until(() -> SubscriptionPosition.ofRevision(5).equals(resumed.getProcessedPosition()));
        assertThat(health(context, "suspend").getDetails()).containsEntry("position.processed", "5");
    }

    @Test
    void aFailureHandledByTheDeadLetterChannelLetsThePositionAdvancePastIt() throws Exception {
        EventTwoFails failing = new EventTwoFails("dlc", 6, () -> new IllegalStateException("event 2 always fails"));
        Sink dead = new Sink();
        EventStoreResumeStrategy checkpoints = failing.checkpoints;
        List<String> storedWhileDeadLettering = new CopyOnWriteArrayList<>();

        CamelContext context = failing.startResumable("retryInitialDelay=50", builder -> {
            builder.errorHandler(builder.deadLetterChannel("direct:dead"));
            builder.from("direct:dead").routeId("dead").process(e -> {
                checkpoints.flush();
                storedWhileDeadLettering.add(String.valueOf(checkpoints.storedPosition("dlc")));
                dead.add(e);
            });
        });
        EventStoreConsumer consumer = consumer(context, "dlc");

        await().until(() -> failing.sink.size() == 5);
        assertThat(failing.sink.received).containsExactly(0, 1, 3, 4, 5);
        assertThat(dead.received).containsExactly(2);
        assertThat(failing.attempts)
                .as("handled by the error handler: not retried by the consumer")
                .hasValue(1);
        await().until(() -> SubscriptionPosition.ofRevision(5).equals(consumer.getProcessedPosition()));
        assertThat(routeStatus(context, "dlc")).isEqualTo(ServiceStatus.Started);
        // stored only once the dead letter channel handled it: while it ran, the checkpoint was still before it
        assertThat(storedWhileDeadLettering).containsExactly("1");
        await().untilAsserted(() -> {
            checkpoints.flush();
            assertThat(checkpoints.storedPosition("dlc")).isEqualTo(SubscriptionPosition.ofRevision(5));
        });
    }
}
