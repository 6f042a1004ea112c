package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.number;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the consumer does with an exchange that fails: it is never skipped and the processed position never passes
 * it (RETRY with bounded exponential backoff, STOP, retryMaxAttempts), unless the route's error handler handled it
 * (dead letter channel); and with maxInFlight > 1 and a sink that completes out of order, dispatch order is kept
 * and the processed position only covers the contiguous run of completed events.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerFailureTest {
    private static final EventStoreTestServer SERVER = EventStoreTestServer.startDefault();
    private static final String TYPE = "Numbered";
    private static final AtomicInteger STREAMS = new AtomicInteger();

    private final List<CamelContext> contexts = new ArrayList<>();
    /** Run before the contexts stop, so that a failed test leaves no exchange held. */
    private final List<Runnable> cleanups = new ArrayList<>();

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @AfterEach
    void stopContexts() {
        cleanups.forEach(Runnable::run);
        contexts.forEach(CamelContext::stop);
    }

    private static String newStream(String name) {
        return "failure-" + name + "-" + STREAMS.incrementAndGet();
    }

    private CamelContext start(RouteBuilder routes) throws Exception {
        return start(routes, null);
    }

    private CamelContext start(RouteBuilder routes, EventStoreResumeStrategy checkpoints) throws Exception {
        CamelContext context = new DefaultCamelContext();
        if (checkpoints != null) {
            context.getRegistry().bind("checkpoints", checkpoints);
        }
        context.addRoutes(routes);
        contexts.add(context);
        context.start();
        return context;
    }

    private static String uri(String stream, String options) {
        return "eventstore:" + stream + "?connectionString=" + SERVER.connectionString() + "&" + options;
    }

    /** The position of the event an exchange carries, as the consumer records it. */
    private static SubscriptionPosition positionOf(Exchange exchange, boolean all) {
        return SubscriptionPosition.parse(
                exchange.getMessage().getHeader(EventStoreConstants.POSITION, String.class), all);
    }

    @Test
    void retryRedeliversTheFailedEventWithBoundedGrowingDelaysAndHoldsBackEverythingAfterIt() throws Exception {
        String stream = newStream("retry");
        TestEvents.append(SERVER, stream, TYPE, 0, 10);
        int failingEvent = 3;
        int failures = 7;
        List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        List<List<Integer>> sinkAtEachAttempt = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        List<Integer> attemptHeaders = new CopyOnWriteArrayList<>();
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri(stream, "retryInitialDelay=50&retryMaxDelay=200"))
                            .routeId("retry")
                            .process(e -> {
                                // the position of an event is never recorded before its exchange completed
                                SubscriptionPosition processed =
                                        consumer(e.getContext(), "retry").getProcessedPosition();
                                if (!positionOf(e, false).isAfter(processed)) {
                                    violations.add("event " + number(e) + " in flight, processed " + processed);
                                }
                                if (number(e) == failingEvent) {
                                    attemptHeaders.add(e.getMessage()
                                            .getHeader(EventStoreConstants.DELIVERY_ATTEMPT, Integer.class));
                                    attemptNanos.add(System.nanoTime());
                                    sinkAtEachAttempt.add(List.copyOf(sink.received));
                                    if (attemptNanos.size() <= failures) {
                                        throw new IllegalStateException("attempt " + attemptNanos.size() + " fails");
                                    }
                                }
                            })
                            .process(sink::add);
                }
            });
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
        String stream = newStream("async-retry");
        int total = 50;
        TestEvents.append(SERVER, stream, TYPE, 0, total);
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        ScheduledExecutorService completer = Executors.newSingleThreadScheduledExecutor();
        cleanups.add(completer::shutdown);

        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                // maxInFlight=1 (the default); the sink completes its exchanges on a thread of its own, as
                // asynchronous producers (Kafka, HTTP) do, and fails event 3 twice
                from(uri(stream, "retryInitialDelay=50")).routeId("async-retry").process(new AsyncProcessorSupport() {
                    @Override
                    public boolean process(Exchange exchange, AsyncCallback callback) {
                        int n = number(exchange);
                        arrivals.add(n);
                        completer.schedule(
                                () -> {
                                    if (n == 3 && failures.get() < 2) {
                                        failures.incrementAndGet();
                                        exchange.setException(new IllegalStateException("fails"));
                                    }
                                    callback.done(false);
                                },
                                1,
                                TimeUnit.MILLISECONDS);
                        return false;
                    }
                });
            }
        });
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
        String prefix = newStream("rollback") + "-";
        TestEvents.append(SERVER, prefix + "a", TYPE, 0, 4);
        AtomicInteger rollbacks = new AtomicInteger();
        Sink sink = new Sink();
        java.util.concurrent.atomic.AtomicReference<String> lastPosition =
                new java.util.concurrent.atomic.AtomicReference<>();

        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("$all", "streamNamePrefixes=" + prefix + "&retryInitialDelay=50&retryMaxDelay=50"))
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
    void retryMaxAttemptsReachedStopsTheRouteWithoutPassingTheFailedEvent() throws Exception {
        String prefix = newStream("exhausted") + "-";
        TestEvents.append(SERVER, prefix + "a", TYPE, 0, 3);
        TestEvents.append(SERVER, prefix + "b", TYPE, 3, 3);
        AtomicInteger attempts = new AtomicInteger();
        List<String> failedAt = new CopyOnWriteArrayList<>();
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri(
                                    "$all",
                                    "streamNamePrefixes=" + prefix
                                            + "&retryInitialDelay=50&retryMaxDelay=100&retryMaxAttempts=3"))
                            .routeId("exhausted")
                            .process(e -> {
                                if (number(e) == 2) {
                                    attempts.incrementAndGet();
                                    failedAt.add(e.getMessage().getHeader(EventStoreConstants.POSITION, String.class));
                                    throw new IllegalStateException("event 2 always fails");
                                }
                            })
                            .process(sink::add);
                }
            });
            EventStoreConsumer consumer = consumer(context, "exhausted");

            await().until(() -> routeStatus(context, "exhausted") == ServiceStatus.Stopped);
            assertThat(attempts).hasValue(3);
            assertThat(failedAt).containsOnly(failedAt.get(0));
            SubscriptionPosition failed = SubscriptionPosition.parse(failedAt.get(0), true);
            assertThat(sink.received).containsExactly(0, 1);
            assertThat(consumer.getProcessedPosition()).isNotNull().isLessThan(failed);

            HealthCheck.Result result = health(context, "exhausted");
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage())
                    .hasValueSatisfying(
                            m -> assertThat(m).contains("event at " + failed).contains("3 times"));
            assertThat(result.getDetails())
                    .containsEntry("state", "FAILED")
                    .containsEntry(
                            "position.processed",
                            consumer.getProcessedPosition().toString());
            assertThat(logs.messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("Stopping route exhausted")
                    .contains("event at " + failed));
        }
    }

    @Test
    void stopActionStopsAtOnceAndTheEventIsDeliveredAgainWhenTheRouteStarts() throws Exception {
        String stream = newStream("stop");
        TestEvents.append(SERVER, stream, TYPE, 0, 6);
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean(true);
        Sink sink = new Sink();
        EventStoreResumeStrategy checkpoints = new EventStoreResumeStrategy();

        CamelContext context = start(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(uri(stream, "failedExchangeAction=STOP&retryInitialDelay=50"))
                                .routeId("stop")
                                .resumable("checkpoints")
                                .process(e -> {
                                    if (number(e) == 2) {
                                        attempts.incrementAndGet();
                                        if (broken.get()) {
                                            throw new IllegalStateException("event 2 fails");
                                        }
                                    }
                                })
                                .process(sink::add);
                    }
                },
                checkpoints);
        EventStoreConsumer consumer = consumer(context, "stop");

        await().until(() -> routeStatus(context, "stop") == ServiceStatus.Stopped);
        assertThat(attempts).hasValue(1);
        assertThat(sink.received).containsExactly(0, 1);
        assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.ofRevision(1));
        assertThat(health(context, "stop").getMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("event at 2 failed"));
        checkpoints.flush();
        assertThat(checkpoints.storedPosition("stop")).isEqualTo(SubscriptionPosition.ofRevision(1));

        // fixed and started again: it resumes with the failed event, and the position moves on past it
        broken.set(false);
        context.getRouteController().startRoute("stop");
        // (Camel creates a new consumer when a route starts again)
        EventStoreConsumer restarted = consumer(context, "stop");
        await().until(() -> sink.size() == 6);
        sink.assertExactlyOnceInOrder(6);
        assertThat(attempts).hasValue(2);
        await().until(() -> SubscriptionPosition.ofRevision(5).equals(restarted.getProcessedPosition()));
        // the health check is the new consumer's, not the failed one's
        await().until(() -> health(context, "stop").getState() == HealthCheck.State.UP);
        assertThat(health(context, "stop").getDetails()).containsEntry("position.processed", "5");
    }

    @Test
    void anUnprocessableEventStopsTheRouteAtOnceEvenWhenRetryingForever() throws Exception {
        String stream = newStream("unprocessable");
        TestEvents.append(SERVER, stream, TYPE, 0, 4);
        AtomicInteger attempts = new AtomicInteger();
        Sink sink = new Sink();

        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                // RETRY with no limit: only the kind of failure stops it
                from(uri(stream, "retryInitialDelay=50&retryMaxAttempts=0"))
                        .routeId("unprocessable")
                        .process(e -> {
                            if (number(e) == 2) {
                                attempts.incrementAndGet();
                                throw new UnprocessableEventException(
                                        "too large for the sink", new IllegalStateException("limit 1 MiB"));
                            }
                        })
                        .process(sink::add);
            }
        });
        EventStoreConsumer consumer = consumer(context, "unprocessable");

        await().until(() -> routeStatus(context, "unprocessable") == ServiceStatus.Stopped);
        assertThat(attempts).hasValue(1);
        assertThat(sink.received).containsExactly(0, 1);
        assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.ofRevision(1));
        assertThat(health(context, "unprocessable").getDetails()).containsEntry("state", "FAILED");
        assertThat(health(context, "unprocessable").getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("event at 2 failed and was not handled")
                .contains("UnprocessableEventException: too large for the sink")
                .contains("retrying cannot fix it"));
    }

    @Test
    void withEightInFlightAFailedEventHoldsBackNewDispatchesAndThePositionUntilItsRetrySucceeds() throws Exception {
        String stream = newStream("in-flight-retry");
        int total = 300;
        int failing = 100;
        TestEvents.append(SERVER, stream, TYPE, 0, total);
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        Set<Integer> succeeded = ConcurrentHashMap.newKeySet();
        AtomicInteger failedAttempts = new AtomicInteger();
        AtomicInteger arrivedWhenItFailed = new AtomicInteger();
        List<Integer> dispatchedWhileFailing = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        ScheduledExecutorService completer = Executors.newScheduledThreadPool(2);
        cleanups.add(completer::shutdown);

        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(stream, "maxInFlight=8&retryInitialDelay=50"))
                        .routeId("in-flight-retry")
                        .process(new AsyncProcessorSupport() {
                            @Override
                            public boolean process(Exchange exchange, AsyncCallback callback) {
                                int n = number(exchange);
                                arrivals.add(n);
                                completer.schedule(
                                        () -> {
                                            boolean fails = n == failing && failedAttempts.get() < 2;
                                            if (fails) {
                                                failedAttempts.incrementAndGet();
                                                exchange.setException(new IllegalStateException("fails"));
                                            } else {
                                                if (n == failing) {
                                                    dispatchedWhileFailing.addAll(arrivals.subList(
                                                            arrivedWhenItFailed.get(), arrivals.size()));
                                                }
                                                succeeded.add(n);
                                            }
                                            callback.done(false);
                                            if (fails && failedAttempts.get() == 1) {
                                                // the consumer knows of the failure once the exchange is done
                                                // (the error handler may take a while before that)
                                                arrivedWhenItFailed.set(arrivals.size());
                                            }
                                            SubscriptionPosition processed = consumer(
                                                            exchange.getContext(), "in-flight-retry")
                                                    .getProcessedPosition();
                                            for (int k = 0; !processed.isStart() && k <= processed.revision(); k++) {
                                                if (!succeeded.contains(k)) {
                                                    violations.add("processed " + processed + ", " + k + " not done");
                                                    break;
                                                }
                                            }
                                        },
                                        ThreadLocalRandom.current().nextInt(0, 3),
                                        TimeUnit.MILLISECONDS);
                                return false;
                            }
                        });
            }
        });
        EventStoreConsumer consumer = consumer(context, "in-flight-retry");

        await().until(() -> succeeded.size() == total);
        await().until(() -> SubscriptionPosition.ofRevision(total - 1).equals(consumer.getProcessedPosition()));
        assertThat(violations).isEmpty();
        assertThat(failedAttempts).hasValue(2);
        // dispatched in order; the failed event twice more, before anything beyond the window it failed in
        List<Integer> expected =
                new ArrayList<>(IntStream.range(0, total).boxed().toList());
        assertThat(arrivals).hasSize(total + 2);
        assertThat(arrivals.stream().filter(n -> n != failing).toList())
                .containsExactlyElementsOf(
                        expected.stream().filter(n -> n != failing).toList());
        // once the failure was known, only its retries went out until one succeeded (and at most one event that
        // the dispatcher was sending at that very moment)
        assertThat(dispatchedWhileFailing)
                .as("dispatched while %d was failing", failing)
                .contains(failing, failing);
        assertThat(dispatchedWhileFailing.stream().filter(n -> n != failing).toList())
                .as("dispatched while %d was failing", failing)
                .hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aRouteSuspendedWhileAnEventAwaitsItsRetryDeliversItAgainWhenResumedAndMovesOn() throws Exception {
        String stream = newStream("suspend");
        TestEvents.append(SERVER, stream, TYPE, 0, 6);
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean(true);
        Sink sink = new Sink();

        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                // the first retry would come only after a minute: the route is suspended before that
                from(uri(stream, "retryInitialDelay=60000"))
                        .routeId("suspend")
                        .process(e -> {
                            if (number(e) == 2) {
                                attempts.incrementAndGet();
                                if (broken.get()) {
                                    throw new IllegalStateException("event 2 fails");
                                }
                            }
                        })
                        .process(sink::add);
            }
        });
        EventStoreConsumer consumer = consumer(context, "suspend");
        await().until(() -> attempts.get() == 1);
        assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.ofRevision(1));

        context.getRouteController().suspendRoute("suspend");
        assertThat(routeStatus(context, "suspend")).isIn(ServiceStatus.Suspended, ServiceStatus.Stopped);
        broken.set(false);
        context.getRouteController().resumeRoute("suspend");

        // without a resume strategy it starts again from initialPosition: 0 and 1 arrive a second time
        await().until(() -> sink.size() == 2 + 6);
        assertThat(sink.received).containsExactly(0, 1, 0, 1, 2, 3, 4, 5);
        EventStoreConsumer resumed = consumer(context, "suspend");
        await().until(() -> SubscriptionPosition.ofRevision(5).equals(resumed.getProcessedPosition()));
        assertThat(health(context, "suspend").getDetails()).containsEntry("position.processed", "5");
    }

    @Test
    void aFailureHandledByTheDeadLetterChannelLetsThePositionAdvancePastIt() throws Exception {
        String stream = newStream("dead-letter");
        TestEvents.append(SERVER, stream, TYPE, 0, 6);
        AtomicInteger attempts = new AtomicInteger();
        Sink sink = new Sink();
        Sink dead = new Sink();
        EventStoreResumeStrategy checkpoints = new EventStoreResumeStrategy();
        List<String> storedWhileDeadLettering = new CopyOnWriteArrayList<>();

        CamelContext context = start(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        errorHandler(deadLetterChannel("direct:dead"));
                        from("direct:dead").routeId("dead").process(e -> {
                            checkpoints.flush();
                            storedWhileDeadLettering.add(String.valueOf(checkpoints.storedPosition("dlc")));
                            dead.add(e);
                        });
                        from(uri(stream, "retryInitialDelay=50"))
                                .routeId("dlc")
                                .resumable("checkpoints")
                                .process(e -> {
                                    if (number(e) == 2) {
                                        attempts.incrementAndGet();
                                        throw new IllegalStateException("event 2 always fails");
                                    }
                                })
                                .process(sink::add);
                    }
                },
                checkpoints);
        EventStoreConsumer consumer = consumer(context, "dlc");

        await().until(() -> sink.size() == 5);
        assertThat(sink.received).containsExactly(0, 1, 3, 4, 5);
        assertThat(dead.received).containsExactly(2);
        assertThat(attempts)
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

    /**
     * An asynchronous sink that holds every exchange until it is completed, by the test or, once {@link
     * #completeAllAtRandom} was called, by a scheduler after a random delay: real out-of-order completion. The
     * order of {@link #arrivals} is the order in which the consumer dispatched the exchanges to the sink.
     */
    private static final class HoldingSink extends AsyncProcessorSupport {
        record Held(Exchange exchange, AsyncCallback callback) {}

        final List<Integer> arrivals = new CopyOnWriteArrayList<>();
        final Map<Integer, Held> held = new ConcurrentHashMap<>();
        final Set<Integer> completed = ConcurrentHashMap.newKeySet();
        final AtomicInteger maxHeld = new AtomicInteger();
        private volatile ScheduledExecutorService random;
        private volatile Runnable afterEachCompletion = () -> {};

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            int n = number(exchange);
            arrivals.add(n);
            held.put(n, new Held(exchange, callback));
            maxHeld.accumulateAndGet(held.size(), Math::max);
            ScheduledExecutorService scheduler = random;
            if (scheduler != null) {
                scheduleRandom(scheduler, n);
            }
            return false;
        }

        void complete(int n) {
            Held h = held.remove(n);
            if (h != null) {
                completed.add(n);
                h.callback().done(false);
                afterEachCompletion.run();
            }
        }

        void completeAllAtRandom(ScheduledExecutorService scheduler, Runnable check) {
            afterEachCompletion = check;
            random = scheduler;
            for (Integer n : held.keySet()) {
                scheduleRandom(scheduler, n);
            }
        }

        /** Completes everything held and everything that arrives from now on: a failed test must not hang. */
        void releaseAll() {
            afterEachCompletion = () -> {};
            random = Executors.newSingleThreadScheduledExecutor();
            for (Integer n : held.keySet()) {
                complete(n);
            }
        }

        private void scheduleRandom(ScheduledExecutorService scheduler, int n) {
            scheduler.schedule(() -> complete(n), ThreadLocalRandom.current().nextInt(0, 15), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void maxInFlightKeepsDispatchOrderAndThePositionNeverPassesAnUnfinishedEvent() throws Exception {
        String stream = newStream("in-flight");
        int total = 400;
        TestEvents.append(SERVER, stream, TYPE, 0, total);
        HoldingSink sink = new HoldingSink();
        List<String> violations = new CopyOnWriteArrayList<>();

        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(stream, "maxInFlight=8")).routeId("in-flight").process(sink);
            }
        });
        cleanups.add(sink::releaseAll);
        EventStoreConsumer consumer = consumer(context, "in-flight");
        // every event at or before the processed position must have been completed by the sink
        Runnable check = () -> {
            SubscriptionPosition processed = consumer.getProcessedPosition();
            if (processed != null && !processed.isStart()) {
                for (int n = 0; n <= processed.revision(); n++) {
                    if (!sink.completed.contains(n)) {
                        violations.add("processed " + processed + " but event " + n + " is unfinished");
                        return;
                    }
                }
            }
        };

        // eight in flight, in order, and no more while none completes
        await().until(() -> sink.held.size() == 8);
        await().during(Duration.ofMillis(300)).until(() -> sink.arrivals.size() == 8);
        assertThat(sink.arrivals).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);

        // 7 down to 1 complete, 0 does not: the position stays before 0
        for (int n = 7; n >= 1; n--) {
            sink.complete(n);
            check.run();
            assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.START);
        }
        await().until(() -> sink.held.keySet().equals(Set.of(0, 8, 9, 10, 11, 12, 13, 14)));
        assertThat(consumer.getProcessedPosition()).isEqualTo(SubscriptionPosition.START);

        // 0 completes: the position covers 0..7, not 8 which is still held
        sink.complete(0);
        await().until(() -> SubscriptionPosition.ofRevision(7).equals(consumer.getProcessedPosition()));
        await().during(Duration.ofMillis(200))
                .until(() -> SubscriptionPosition.ofRevision(7).equals(consumer.getProcessedPosition()));

        // everything else completes in random order, checked after each completion and meanwhile
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
        try {
            sink.completeAllAtRandom(scheduler, check);
            await().pollInterval(Duration.ofMillis(5)).until(() -> {
                check.run();
                return sink.completed.size() == total;
            });
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(sink.arrivals)
                .containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
        await().until(() -> SubscriptionPosition.ofRevision(total - 1).equals(consumer.getProcessedPosition()));
        assertThat(consumer.outstanding()).isZero();
        assertThat(sink.maxHeld).as("never more than maxInFlight at once").hasValue(8);
        assertThat(violations).isEmpty();
    }

    @Test
    void oneInFlightPerStreamKeepsEachStreamsOrderWhileStreamsRunConcurrently() throws Exception {
        String prefix = newStream("per-stream") + "-";
        int streams = 6;
        int perStream = 40;
        // batches of 2 rotate over the streams, so $all interleaves them
        for (int n = 0; n < streams * perStream; n += 2) {
            SERVER.append(prefix + (n / 2 % streams), TestEvents.numbered(TYPE, n, 2));
        }
        int failing = 37;
        Map<String, List<Integer>> completedPerStream = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> inFlightPerStream = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        ScheduledExecutorService completer = Executors.newScheduledThreadPool(3);
        cleanups.add(completer::shutdown);

        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("eventstore:$all?connectionString=" + SERVER.connectionString() + "&streamNamePrefixes="
                                + prefix + "&initialPosition=earliest&maxInFlight=8&oneInFlightPerStream=true"
                                + "&retryInitialDelay=20")
                        .routeId("per-stream")
                        .process(new AsyncProcessorSupport() {
                            @Override
                            public boolean process(Exchange exchange, AsyncCallback callback) {
                                String stream =
                                        exchange.getMessage().getHeader(EventStoreConstants.STREAM_ID, String.class);
                                int n = number(exchange);
                                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                                if (inFlightPerStream
                                                .computeIfAbsent(stream, s -> new AtomicInteger())
                                                .incrementAndGet()
                                        > 1) {
                                    violations.add("two exchanges of " + stream + " in flight at " + n);
                                }
                                completer.schedule(
                                        () -> {
                                            inFlightPerStream.get(stream).decrementAndGet();
                                            inFlight.decrementAndGet();
                                            if (n == failing && failed.compareAndSet(false, true)) {
                                                exchange.setException(new IllegalStateException("fails once"));
                                            } else {
                                                completedPerStream
                                                        .computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>())
                                                        .add(n);
                                            }
                                            callback.done(false);
                                        },
                                        ThreadLocalRandom.current().nextInt(0, 4),
                                        TimeUnit.MILLISECONDS);
                                return false;
                            }
                        });
            }
        });

        await().until(() ->
                completedPerStream.values().stream().mapToInt(List::size).sum() == streams * perStream);
        assertThat(failed).isTrue();
        for (int s = 0; s < streams; s++) {
            List<Integer> expected = new ArrayList<>();
            for (int n = 0; n < streams * perStream; n++) {
                if (n / 2 % streams == s) {
                    expected.add(n);
                }
            }
            assertThat(completedPerStream.get(prefix + s)).as("stream " + s).containsExactlyElementsOf(expected);
        }
        assertThat(violations).isEmpty();
        assertThat(maxInFlight.get())
                .as("streams ran concurrently")
                .isGreaterThan(1)
                .isLessThanOrEqualTo(8);
    }
}
