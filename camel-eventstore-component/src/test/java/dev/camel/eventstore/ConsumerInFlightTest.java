package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.completingLater;
import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.number;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
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
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.Test;

/**
 * With maxInFlight > 1 and a sink that completes out of order: dispatch order is kept, no more than maxInFlight
 * exchanges are in flight, the processed position only covers the contiguous run of completed events, a failed
 * event holds back new dispatches until its retry succeeds, and oneInFlightPerStream keeps each stream's order.
 */
class ConsumerInFlightTest extends ConsumerFailureTestSupport {
    @Test
    void withEightInFlightAFailedEventHoldsBackNewDispatchesAndThePositionUntilItsRetrySucceeds() throws Exception {
        String stream = SERVER.newStream("in-flight-retry");
        int total = 300;
        int failing = 100;
        TestEvents.append(SERVER.server(), stream, TYPE, 0, total);
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        Set<Integer> succeeded = ConcurrentHashMap.newKeySet();
        AtomicInteger failedAttempts = new AtomicInteger();
        AtomicInteger arrivedWhenItFailed = new AtomicInteger();
        List<Integer> dispatchedWhileFailing = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        ScheduledExecutorService completer = routes.scheduler(2);

        CamelContext context = routes.startThrough(
                SERVER.uri(stream, "maxInFlight=8&retryInitialDelay=50"),
                "in-flight-retry",
                new AsyncProcessorSupport() {
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
                                            dispatchedWhileFailing.addAll(
                                                    arrivals.subList(arrivedWhenItFailed.get(), arrivals.size()));
                                        }
                                        succeeded.add(n);
                                    }
                                    callback.done(false);
                                    if (fails && failedAttempts.get() == 1) {
                                        // the consumer knows of the failure once the exchange is done
                                        // (the error handler may take a while before that)
                                        arrivedWhenItFailed.set(arrivals.size());
                                    }
                                    SubscriptionPosition processed = consumer(exchange.getContext(), "in-flight-retry")
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
    void maxInFlightKeepsDispatchOrderAndThePositionNeverPassesAnUnfinishedEvent() throws Exception {
        String stream = SERVER.newStream("in-flight");
        int total = 400;
        TestEvents.append(SERVER.server(), stream, TYPE, 0, total);
        HoldingSink sink = new HoldingSink();
        List<String> violations = new CopyOnWriteArrayList<>();

        CamelContext context = routes.startThrough(SERVER.uri(stream, "maxInFlight=8"), "in-flight", sink);
        routes.add(sink::releaseAll);
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
        String prefix = SERVER.newStream("per-stream") + "-";
        int streams = 6;
        int perStream = 40;
        // batches of 2 rotate over the streams, so $all interleaves them
        for (int n = 0; n < streams * perStream; n += 2) {
            SERVER.server().append(prefix + (n / 2 % streams), TestEvents.numbered(TYPE, n, 2));
        }
        int failing = 37;
        Map<String, List<Integer>> completedPerStream = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> inFlightPerStream = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        ScheduledExecutorService completer = routes.scheduler(3);

        routes.startThrough(
                SERVER.uri(
                        "$all",
                        "streamNamePrefixes=" + prefix
                                + "&initialPosition=earliest&maxInFlight=8&oneInFlightPerStream=true"
                                + "&retryInitialDelay=20"),
                "per-stream",
                completingLater(
                        completer,
                        0,
                        4,
                        exchange -> {
                            String stream = streamOf(exchange);
                            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            if (inFlightPerStream
                                            .computeIfAbsent(stream, s -> new AtomicInteger())
                                            .incrementAndGet()
                                    > 1) {
                                violations.add("two exchanges of " + stream + " in flight at " + number(exchange));
                            }
                        },
                        exchange -> {
                            String stream = streamOf(exchange);
                            int n = number(exchange);
                            inFlightPerStream.get(stream).decrementAndGet();
                            inFlight.decrementAndGet();
                            if (n == failing && failed.compareAndSet(false, true)) {
                                exchange.setException(new IllegalStateException("fails once"));
                            } else {
                                completedPerStream
                                        .computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>())
                                        .add(n);
                            }
                        }));

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

    private static String streamOf(Exchange exchange) {
        return exchange.getMessage().getHeader(EventStoreConstants.STREAM_ID, String.class);
    }
}
