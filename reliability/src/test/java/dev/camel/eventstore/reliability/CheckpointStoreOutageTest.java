package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import dev.camel.eventstore.testkit.support.StreamReads;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: the checkpoint store (the connector's stream {@code camel-checkpoint-<id>} in EventStoreDB) refuses
 * writes for a while, twice, as an HTTP connector delivers events. Delivery goes on, the checkpoint writes are
 * retried and succeed once the store is back, and no stored position ever passes an event that was not delivered
 * when it was written: one event's delivery is held at the HTTP receiver while hundreds after it complete, across
 * the moment the store comes back. A connector started afterwards resumes where the last retried write left it.
 */
class CheckpointStoreOutageTest {
    private static final String ID = "checkpoint-outage";
    private static final String PREFIX = "cp-";
    private static final String HELD_STREAM = PREFIX + "held";
    private static final int STREAMS = 8;
    /** Events written before the first outage, during each outage (around the held event), and after. */
    private static final int CHUNK = Scale.of(400);

    /** How long the store stays down once everything it could was delivered. */
    private static final Duration OUTAGE = Duration.ofMillis(Scale.of(2000));

    private static final long CHECKPOINT_INTERVAL = 200;
    private static final int CHECKPOINT_RECORDS = 50;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void deliveryGoesOnWhileCheckpointWritesFailAndNoStoredPositionPassesAnUndeliveredEvent() throws Exception {
        HttpLedger ledger = new HttpLedger();
        CountDownLatch release = new CountDownLatch(1);
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                HttpTestReceiver receiver = HttpTestReceiver.http();
                CapturedLog log = new CapturedLog()) {
            EventStoreDBClient client = StreamReads.client(server);
            // the strategy logs each failed write after the first at DEBUG: counted, to show the retries
            ch.qos.logback.classic.Logger strategy =
                    (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EventStoreResumeStrategy.class);
            ch.qos.logback.classic.Level level = strategy.getLevel();
            strategy.setLevel(ch.qos.logback.classic.Level.DEBUG);
            try {
                run(server, receiver, client, ledger, release, log);
            } finally {
                strategy.setLevel(level);
                release.countDown();
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private void run(
            EventStoreTestServer server,
            HttpTestReceiver receiver,
            EventStoreDBClient client,
            HttpLedger ledger,
            CountDownLatch release,
            CapturedLog log)
            throws Exception {
        ledger.serve(receiver, request -> {
            if (HELD_STREAM.equals(request.header("esdb-record-stream-id"))) {
                // the held event: answered when the test says so
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return 200;
        });
        int written = 0;
        try (CamelContext camel = Connectors.context()) {
            InterleavedEvents.append(server, PREFIX, STREAMS, 1, 0, CHUNK);
            written += CHUNK;
            Connectors.add(camel, ConnectorTemplates.HTTP, ID, connector(server, receiver));
            EventStoreConsumer consumer = Connectors.consumer(camel, ID);
            int before = written;
            await().atMost(WAIT).until(() -> ledger.distinctAccepted() == before);
            await().atMost(WAIT)
                    .until(() -> Objects.equals(CheckpointHistory.latest(client, ID), consumer.getProcessedPosition()));

            // outage 1: the store refuses writes; one event is held at the sink, the others go on
            Instant down1 = Instant.now();
            server.failAppends(
                    stream -> stream.equals(CheckpointHistory.stream(ID)),
                    Status.UNAVAILABLE.withDescription("checkpoint store unavailable (test)"));
            InterleavedEvents.append(server, PREFIX, STREAMS, 1, written, CHUNK / 2);
            server.append(
                    HELD_STREAM,
                    List.of(EventDataBuilder.json("OrderUpdated", "{\"n\":-1}".getBytes(StandardCharsets.UTF_8))
                            .build()));
            InterleavedEvents.append(server, PREFIX, STREAMS, 1, written + CHUNK / 2, CHUNK / 2);
            written += CHUNK + 1;
            int allButHeld = written - 1;
            await().atMost(WAIT).until(() -> ledger.distinctAccepted() == allButHeld);
            // the store stays down: the writes are retried (every checkpointInterval) and fail, nothing is stored
            SubscriptionPosition storedBefore = CheckpointHistory.latest(client, ID);
            await().atMost(OUTAGE.plus(WAIT))
                    .during(OUTAGE)
                    .until(() -> storedBefore.equals(CheckpointHistory.latest(client, ID)));
            long failedWrites1 = failedWrites(log);
            Map<String, Long> positions = InterleavedEvents.positions(client, PREFIX);
            long held = positions.get(HELD_STREAM + "@0");
            long deliveredPastHeld =
                    ledger.accepted().stream().filter(a -> a.commit() > held).count();
            assertThat(deliveredPastHeld).isEqualTo(CHUNK / 2);
            Instant up1 = Instant.now();
            assertThat(CheckpointHistory.all(client, ID))
                    .as("checkpoints stored while the store refused writes")
                    .noneMatch(c -> c.written().isAfter(down1));

            // the store is back while the event is still held: the retried write stores the position right
            // before it, not the position of the events delivered after it
            server.clearAppendFailures();
            await().atMost(WAIT)
                    .until(() -> Objects.equals(CheckpointHistory.latest(client, ID), consumer.getProcessedPosition()));
            SubscriptionPosition storedWhileHeld = CheckpointHistory.latest(client, ID);
            assertThat(storedWhileHeld.commit()).isLessThan(held);
            Instant firstWrite1 = firstWrittenAfter(client, up1);

            // outage 2: the store refuses writes again; the held event is answered, and more events come
            Instant down2 = Instant.now();
            server.failAppends(
                    stream -> stream.equals(CheckpointHistory.stream(ID)),
                    Status.UNAVAILABLE.withDescription("checkpoint store unavailable (test)"));
            release.countDown();
            InterleavedEvents.append(server, PREFIX, STREAMS, 1, written, CHUNK);
            written += CHUNK;
            int all = written;
            await().atMost(WAIT).until(() -> ledger.distinctAccepted() == all);
            // every event is delivered and processed; nothing of it is stored yet
            long last = InterleavedEvents.positions(client, PREFIX).values().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElseThrow();
            await().atMost(WAIT).until(() -> consumer.getProcessedPosition().commit() >= last);
            await().atMost(OUTAGE.plus(WAIT))
                    .during(OUTAGE)
                    .until(() -> storedWhileHeld.equals(CheckpointHistory.latest(client, ID)));
            long failedWrites2 = failedWrites(log) - failedWrites1;
            Instant up2 = Instant.now();
            server.clearAppendFailures();
            // the pending position is written without any new event
            await().atMost(WAIT)
                    .until(() -> CheckpointHistory.latest(client, ID).commit() >= last);
            Instant firstWrite2 = firstWrittenAfter(client, up2);
            assertThat(CheckpointHistory.all(client, ID))
                    .as("checkpoints stored during the second outage")
                    .noneMatch(c -> c.written().isAfter(down2) && c.written().isBefore(up2));

            List<CheckpointHistory.Stored> checkpoints = CheckpointHistory.all(client, ID);
            ledger.assertNoCheckpointPassedAnUndeliveredEvent(checkpoints);
            for (int i = 1; i < checkpoints.size(); i++) {
                assertThat(checkpoints.get(i).position())
                        .isGreaterThanOrEqualTo(checkpoints.get(i - 1).position());
            }
            long acceptedBeforeRestart = ledger.acceptedCount();
            assertThat(ledger.duplicates()).isZero();
            assertThat(ledger.assertInOrderPerStream()).hasSize(STREAMS + 1);

            // one warning per outage, no error
            List<String> warnings = log.warningsAndErrors();
            assertThat(log.errors()).isEmpty();
            assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w)
                    .contains("Writing checkpoint")
                    .contains(CheckpointHistory.stream(ID))
                    .contains("UNAVAILABLE"));

            // a connector started afterwards continues after the stored position: nothing again
            camel.close();
            try (CamelContext again = Connectors.context()) {
                InterleavedEvents.append(server, PREFIX, STREAMS, 1, written, STREAMS);
                written += STREAMS;
                int total = written;
                Connectors.add(again, ConnectorTemplates.HTTP, ID, connector(server, receiver));
                await().atMost(WAIT).until(() -> ledger.distinctAccepted() == total);
                assertThat(ledger.acceptedCount() - acceptedBeforeRestart).isEqualTo(STREAMS);
            }
            assertThat(ledger.duplicates()).isZero();

            Results.record(
                    "checkpoint-store-outage",
                    "%,d events over %d streams, checkpoint stream refusing appends (UNAVAILABLE) twice: %,d"
                            + " delivered, 0 lost, 0 duplicated (also after a restart), order per stream kept;"
                            + " outage 1 %d ms with one event held at the sink and %d events after it delivered:"
                            + " %d checkpoint writes failed, 0 stored, then the retried write stored %s, before the held event at"
                            + " %d, %d ms after the store came back; outage 2 %d ms, %d events delivered, %d"
                            + " checkpoint writes failed, the"
                            + " pending position written %d ms after the store came back without a new event;"
                            + " %d checkpoints checked, none past an undelivered event; WARN lines: %d, ERROR: 0",
                    written,
                    STREAMS + 1,
                    ledger.acceptedCount(),
                    Duration.between(down1, up1).toMillis(),
                    deliveredPastHeld,
                    failedWrites1,
                    storedWhileHeld,
                    held,
                    Duration.between(up1, firstWrite1).toMillis(),
                    Duration.between(down2, up2).toMillis(),
                    CHUNK + 1,
                    failedWrites2,
                    Duration.between(up2, firstWrite2).toMillis(),
                    checkpoints.size(),
                    warnings.size());
        }
    }

    private static Map<String, String> connector(EventStoreTestServer server, HttpTestReceiver receiver) {
        return Connectors.fromStart(
                server.connectionString(),
                PREFIX,
                "url",
                receiver.url("/orders/{stream}"),
                "maxInFlight",
                "4",
                "retryInitialDelay",
                "100",
                "retryMaxDelay",
                "800",
                "checkpointInterval",
                String.valueOf(CHECKPOINT_INTERVAL),
                "checkpointRecordsThreshold",
                String.valueOf(CHECKPOINT_RECORDS));
    }

    /** Failed checkpoint writes so far: the WARN line of the first of a run, a DEBUG line for each after it. */
    private static long failedWrites(CapturedLog log) {
        return log.count("Writing checkpoint") + log.count("Checkpoint write still failing");
    }

    /** When the first checkpoint after {@code instant} was stored. */
    private static Instant firstWrittenAfter(EventStoreDBClient client, Instant instant) throws Exception {
        return CheckpointHistory.all(client, ID).stream()
                .map(CheckpointHistory.Stored::written)
                .filter(t -> t.isAfter(instant))
                .findFirst()
                .orElseThrow();
    }
}
