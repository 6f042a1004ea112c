package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.connectors.ServerWithClient;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 4a: the HTTP connector's sink answers 5xx, times out, then refuses connections (closed, and a new server
 * started on the same port), each for a while, as events go on being written. Every failed delivery is retried
 * with backoff, nothing is lost, each stream's order holds, and the stored checkpoint does not move while the sink
 * is down. What happens once the retries are exhausted: {@link HttpSinkRetriesExhaustedTest}.
 */
class HttpSinkOutageTest {
    private static final int STREAMS = 10;
    /** Events written before the first outage, and during each of the three. */
    private static final int CHUNK = Scale.of(600);
    /** How long each outage lasts once the checkpoint settled. */
    private static final Duration OUTAGE = Duration.ofMillis(Scale.of(3000));

    private static final int MAX_IN_FLIGHT = 4;
    private static final long RETRY_INITIAL = 100;
    private static final long RETRY_MAX = 800;
    private static final long RESPONSE_TIMEOUT = 400;
    private static final long CHECKPOINT_INTERVAL = 200;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ServerWithClient EVENT_STORE = new ServerWithClient();

    /** What the receiver does while the test runs. */
    private enum Sink {
        UP,
        SERVER_ERRORS,
        TIMEOUTS
    }

    /** One outage as measured. */
    private record Outage(
            String kind,
            long millis,
            long failedAttempts,
            SubscriptionPosition held,
            Instant heldFrom,
            Instant ended,
            long recoveryMillis,
            List<Long> retryGapsMillis) {}

    @Test
    void serverErrorsTimeoutsAndRefusedConnectionsAreRetriedWithBackoffLosingNothingWhileTheCheckpointWaits()
            throws Exception {
        String id = "http-outage";
        String prefix = "outage-";
        int total = 4 * CHUNK;
        HttpLedger ledger = new HttpLedger();
        Sink[] sink = {Sink.UP};
        CountDownLatch timeoutsOver = new CountDownLatch(1);
        HttpLedger.Answer answer = request -> switch (sink[0]) {
            case UP -> 200;
            case SERVER_ERRORS -> 503;
            case TIMEOUTS -> {
                // no answer within the connector's responseTimeout; the late answer is an error, so that the
                // receiver never counts as delivered what the connector gave up on
                timeoutsOver.await(RESPONSE_TIMEOUT + 300, TimeUnit.MILLISECONDS);
                yield 504;
            }
        };
        HttpTestReceiver receiver = HttpTestReceiver.http();
        int port = receiver.port();
        ledger.serve(receiver, answer);
        List<Outage> outages = new ArrayList<>();
        HttpTestReceiver[] replacement = new HttpTestReceiver[1];
        boolean[] firstClosed = {false};
        try (CamelContext camel = Connectors.context();
                CapturedLog log = new CapturedLog()) {
            ExchangeAttempts exchanges = ExchangeAttempts.recordIn(camel);
            InterleavedEvents.append(EVENT_STORE.server(), prefix, STREAMS, 1, 0, CHUNK);
            Connectors.add(
                    camel,
                    ConnectorTemplates.HTTP,
                    id,
                    Connectors.fromStart(
                            EVENT_STORE.server().connectionString(),
                            prefix,
                            "url",
                            "http://127.0.0.1:" + port + "/orders/{stream}",
                            "maxInFlight",
                            String.valueOf(MAX_IN_FLIGHT),
                            "connectTimeout",
                            "1000",
                            "responseTimeout",
                            String.valueOf(RESPONSE_TIMEOUT),
                            "retryInitialDelay",
                            String.valueOf(RETRY_INITIAL),
                            "retryMaxDelay",
                            String.valueOf(RETRY_MAX),
                            "checkpointInterval",
                            String.valueOf(CHECKPOINT_INTERVAL),
                            "checkpointRecordsThreshold",
                            "100"));
            EventStoreConsumer consumer = Connectors.consumer(camel, id);

            // 5xx: every request answered 503
            await().atMost(WAIT).until(() -> ledger.acceptedCount() >= CHUNK / 2);
            outages.add(outage(
                    "503 answers",
                    id,
                    ledger,
                    exchanges,
                    consumer,
                    () -> {
                        sink[0] = Sink.SERVER_ERRORS;
                        InterleavedEvents.append(EVENT_STORE.server(), prefix, STREAMS, 1, CHUNK, CHUNK);
                    },
                    () -> sink[0] = Sink.UP));

            // timeouts: no answer within responseTimeout
            await().atMost(WAIT).until(() -> ledger.acceptedCount() >= CHUNK + CHUNK / 2);
            outages.add(outage(
                    "timeouts",
                    id,
                    ledger,
                    exchanges,
                    consumer,
                    () -> {
                        sink[0] = Sink.TIMEOUTS;
                        InterleavedEvents.append(EVENT_STORE.server(), prefix, STREAMS, 1, 2 * CHUNK, CHUNK);
                    },
                    () -> {
                        sink[0] = Sink.UP;
                        timeoutsOver.countDown();
                    }));

            // refused connections: the receiver closed, then a new one on the same port
            await().atMost(WAIT).until(() -> ledger.acceptedCount() >= 2 * CHUNK + CHUNK / 2);
            outages.add(outage(
                    "refused connections",
                    id,
                    ledger,
                    exchanges,
                    consumer,
                    () -> {
                        receiver.close();
                        firstClosed[0] = true;
                        InterleavedEvents.append(EVENT_STORE.server(), prefix, STREAMS, 1, 3 * CHUNK, CHUNK);
                    },
                    () -> {
                        try {
                            replacement[0] = HttpTestReceiver.http(port);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        ledger.serve(replacement[0], answer);
                    }));

            await().atMost(WAIT).until(() -> ledger.distinctAccepted() == total);
            // a graceful stop stores the last position
            camel.getRouteController().stopRoute(id);

            Map<String, Long> positions = InterleavedEvents.positions(EVENT_STORE.client(), prefix);
            assertThat(positions).hasSize(total);
            long last =
                    positions.values().stream().mapToLong(Long::longValue).max().orElseThrow();

            // nothing lost, each stream in order
            ledger.assertCompleteAndInOrderPerStream(STREAMS, total / STREAMS);
            // a duplicate only where the receiver accepted a request whose answer the closing server never sent
            assertThat(ledger.duplicates()).isLessThanOrEqualTo(MAX_IN_FLIGHT);

            // the checkpoint: never past an undelivered event, never back, still while the sink was down, and at
            // the last event after the stop
            List<CheckpointHistory.Stored> checkpoints = CheckpointHistory.all(EVENT_STORE.client(), id);
            ledger.assertNoCheckpointPassedAnUndeliveredEvent(checkpoints);
            for (int i = 1; i < checkpoints.size(); i++) {
                assertThat(checkpoints.get(i).position())
                        .isGreaterThanOrEqualTo(checkpoints.get(i - 1).position());
            }
            for (Outage o : outages) {
                assertThat(checkpoints)
                        .filteredOn(c -> !c.written().isBefore(o.heldFrom())
                                && c.written().isBefore(o.ended()))
                        .as("checkpoints written during the outage of " + o.kind())
                        .allSatisfy(c -> assertThat(c.position()).isEqualTo(o.held()));
            }
            // at or after the last event: the server's filter checkpoints may carry it past events of other streams
            assertThat(CheckpointHistory.latest(EVENT_STORE.client(), id).commit())
                    .isGreaterThanOrEqualTo(last);

            // the connector never stopped, and reported each outage, not each failed attempt
            List<String> warnings = log.warningsAndErrors();
            assertThat(log.errors()).isEmpty();
            assertThat(warnings).hasSizeLessThanOrEqualTo(2 * outages.size());

            for (Outage o : outages) {
                assertThat(o.recoveryMillis())
                        .as("first delivery after the sink came back (%s)", o.kind())
                        .isLessThan(RETRY_MAX + 5000);
            }
            Results.record(
                    "http-sink-outage",
                    "%,d events over %d streams, %,d written during 3 outages (%s): %,d requests accepted, 0 lost,"
                            + " %d duplicated, order per stream kept, %,d failed attempts retried with backoff %d..%d ms"
                            + " (gaps of one event's attempts: %s); stored checkpoint unmoved during each outage and"
                            + " never past an undelivered event (%d checkpoints checked); first delivery after the"
                            + " sink came back: %s ms; WARN lines: %d, ERROR lines: 0",
                    total,
                    STREAMS,
                    3 * CHUNK,
                    outages.stream()
                            .map(o -> o.kind() + " " + o.millis() + " ms, " + o.failedAttempts() + " failed attempts")
                            .toList(),
                    ledger.acceptedCount(),
                    ledger.duplicates(),
                    consumer.getFailedCount(),
                    RETRY_INITIAL,
                    RETRY_MAX,
                    outages.stream()
                            .map(o -> o.kind() + " " + o.retryGapsMillis())
                            .toList(),
                    checkpoints.size(),
                    outages.stream()
                            .map(o -> o.kind() + " " + o.recoveryMillis())
                            .toList(),
                    warnings.size());
        } finally {
            timeoutsOver.countDown();
            if (!firstClosed[0]) {
                receiver.close();
            }
            if (replacement[0] != null) {
                replacement[0].close();
            }
        }
    }

    /**
     * Runs one outage: begins it, waits until the connector fails and its position and stored checkpoint settle,
     * keeps the sink down for {@link #OUTAGE} while checking that neither moves, ends it, and
     * measures the time to the first delivery.
     */
    private Outage outage(
            String kind,
            String id,
            HttpLedger ledger,
            ExchangeAttempts exchanges,
            EventStoreConsumer consumer,
            Runnable begin,
            Runnable end)
            throws Exception {
        long failedBefore = consumer.getFailedCount();
        Instant began = Instant.now();
        long beganNanos = System.nanoTime();
        begin.run();
        await().atMost(WAIT).until(() -> consumer.getFailedCount() > failedBefore);
        // in-flight requests end (each within responseTimeout), the checkpoint catches up with the processed
        // position, and both stay there
        await().atMost(WAIT)
                .during(Duration.ofMillis(RESPONSE_TIMEOUT + 2 * CHECKPOINT_INTERVAL))
                .until(() -> Objects.equals(
                        consumer.getProcessedPosition(), CheckpointHistory.latest(EVENT_STORE.client(), id)));
        SubscriptionPosition held = consumer.getProcessedPosition();
        Instant heldFrom = Instant.now();
        // the sink stays down for OUTAGE: neither the processed position nor the stored checkpoint moves
        await().atMost(OUTAGE.plus(WAIT))
                .during(OUTAGE)
                .until(() -> held.equals(consumer.getProcessedPosition())
                        && held.equals(CheckpointHistory.latest(EVENT_STORE.client(), id)));
        // the held position is before every event not yet delivered
        Map<String, Long> positions = InterleavedEvents.positions(EVENT_STORE.client(), "outage-");
        java.util.Set<String> delivered =
                ledger.accepted().stream().map(HttpLedger.Attempt::event).collect(java.util.stream.Collectors.toSet());
        long firstUndelivered = positions.entrySet().stream()
                .filter(e -> !delivered.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .min()
                .orElseThrow();
        assertThat(held.commit()).isLessThan(firstUndelivered);
        long failedAttempts = consumer.getFailedCount() - failedBefore;
        Instant ended = Instant.now();
        long endedNanos = System.nanoTime();
        long acceptedBefore = ledger.acceptedCount();
        end.run();
        await().atMost(WAIT).until(() -> ledger.acceptedCount() > acceptedBefore);
        Instant resumed = ledger.accepted().stream()
                .map(HttpLedger.Attempt::answered)
                .filter(t -> t.isAfter(ended))
                .min(Instant::compareTo)
                .orElseThrow();

        // backoff: the time from the end of each failed attempt of the event that failed most often to the start of
        // its next attempt, as the consumer schedules retries; arrival times at the receiver would also carry the
        // delays of a loaded machine, which shorten the gap after a late arrival
        List<ExchangeAttempts.Attempt> attempts = exchanges.mostFailedBetween(beganNanos, endedNanos);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            ExchangeAttempts.Attempt previous = attempts.get(i - 1);
            ExchangeAttempts.Attempt next = attempts.get(i);
            if (next.attempt() != previous.attempt() + 1) {
                continue;
            }
            long gap = TimeUnit.NANOSECONDS.toMillis(next.beganNanos() - previous.endedNanos());
            gaps.add(gap);
            long expected = Math.min(RETRY_INITIAL << (previous.attempt() - 1), RETRY_MAX);
            // a few ms: the consumer reads the failure time from the millisecond clock
            assertThat(gap)
                    .as("gap after attempt %d in %s (gaps %s)", previous.attempt(), kind, gaps)
                    .isGreaterThanOrEqualTo(expected - 5);
        }
        if (kind.equals("timeouts")) {
            // each waited responseTimeout for its answer; the ones the end of the outage answered at once aside
            assertThat(attempts)
                    .filteredOn(a -> a.endedNanos() - endedNanos < 0)
                    .as("failed attempts of one event during " + kind)
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(TimeUnit.NANOSECONDS.toMillis(a.endedNanos() - a.beganNanos()))
                            .isGreaterThanOrEqualTo(RESPONSE_TIMEOUT - 5));
        }
        if (!kind.equals("refused connections")) {
            assertThat(gaps)
                    .as("attempts of one event seen by the sink during " + kind)
                    .hasSizeGreaterThan(2);
        }
        return new Outage(
                kind,
                Duration.between(began, ended).toMillis(),
                failedAttempts,
                held,
                heldFrom,
                ended,
                Duration.between(ended, resumed).toMillis(),
                gaps);
    }
}
