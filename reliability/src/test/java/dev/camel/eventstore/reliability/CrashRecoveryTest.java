package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1: the connectors application, delivering a catch-up of many events to Kafka, killed with SIGKILL at
 * random points and started again, many times in a row. Nothing may be lost, each stream's order must hold, and
 * each crash may repeat only the events after the last checkpoint stored before it.
 */
class CrashRecoveryTest {
    private static final int EVENTS = Scale.of(100_000);
    private static final int STREAMS = 100;
    private static final int KILLS = Scale.of(10);
    private static final int CHECKPOINT_RECORDS = 1000;
    private static final int MAX_IN_FLIGHT = 100;

    @TempDir
    Path work;

    @Test
    void killedTenTimesDuringCatchUpLosesNothingKeepsOrderAndRepeatsOnlyWhatFollowedTheLastCheckpoint()
            throws Exception {
        Random random = new Random();
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                KafkaTestBroker kafka = KafkaTestBroker.builder()
                        .logDir(work.resolve("kafka"))
                        .build()
                        .start()) {
            kafka.createTopic("orders", 3);
            OrderStreams.append(server, STREAMS, EVENTS);
            String properties = properties(server, kafka);

            List<Map<Integer, Long>> endsAtKill = new ArrayList<>();
            List<Long> recoveryMillis = new ArrayList<>();
            long[] killPoints = killPoints(random);
            try (KafkaRecords<KafkaRecords.Delivered> topic =
                    KafkaRecords.delivered(kafka.bootstrapServers(), "orders")) {
                for (int run = 0; run < KILLS; run++) {
                    long before = topic.size();
                    // a run overshooting its kill point (the kill lands a poll after it) still delivers one more
                    long killAfter = Math.max(killPoints[run], before + 1);
                    long started = System.nanoTime();
                    try (ConnectorApp app = ConnectorApp.launch(work.resolve("run-" + run), properties, Map.of())) {
                        await().atMost(Duration.ofSeconds(60))
                                .pollInterval(Duration.ofMillis(20))
                                .until(() -> topic.size() > before);
                        recoveryMillis.add((System.nanoTime() - started) / 1_000_000);
                        await().atMost(Duration.ofSeconds(120))
                                .pollInterval(Duration.ofMillis(5))
                                .until(() -> topic.size() >= killAfter);
                        app.kill();
                    }
                    endsAtKill.add(topic.endOffsets());
                }
                // the last run goes to the end and stops gracefully
                try (ConnectorApp app = ConnectorApp.start(work.resolve("final"), properties)) {
                    await().atMost(Duration.ofSeconds(180))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> topic.distinctEvents() == EVENTS);
                    assertThat(app.terminate()).isIn(0, 143);
                }

                List<KafkaRecords.Delivered> delivered = topic.readAll();
                // a stream never jumps ahead, it only goes back (after a crash, to the events after the checkpoint)
                KafkaRecords.Events events = KafkaRecords.assertEachStreamInOnePartitionInOrder(delivered);
                Set<String> seen = events.distinct();
                Map<String, Long> highest = events.highestRevisions();
                assertThat(seen).hasSize(EVENTS);
                assertThat(highest).hasSize(STREAMS);
                assertThat(highest.values()).allMatch(revision -> revision == EVENTS / STREAMS - 1);

                // duplicates per crash: records of run k+1 that run k (or earlier) had already delivered
                List<Integer> duplicatesPerRun = duplicatesPerRun(delivered, endsAtKill);
                int totalDuplicates = delivered.size() - EVENTS;
                assertThat(duplicatesPerRun.stream().mapToInt(Integer::intValue).sum())
                        .isEqualTo(totalDuplicates);
                // the documented bound: the checkpoint threshold, plus events completed out of order beyond the
                // contiguous position, plus events sent and not yet acknowledged (each at most maxInFlight)
                assertThat(duplicatesPerRun)
                        .as("events repeated after each crash")
                        .allMatch(d -> d <= CHECKPOINT_RECORDS + 2 * MAX_IN_FLIGHT);
                recoveryMillis.sort(Long::compare);
                Results.record(
                        "crash-recovery",
                        "%,d events over %d streams, %d SIGKILLs during catch-up: %,d records in Kafka, 0 lost,"
                                + " %,d duplicated (per crash %s; max %d), order per stream kept; restart to first new"
                                + " record median %d ms, max %d ms (JVM start included)",
                        EVENTS,
                        STREAMS,
                        KILLS,
                        delivered.size(),
                        totalDuplicates,
                        duplicatesPerRun,
                        duplicatesPerRun.stream()
                                .mapToInt(Integer::intValue)
                                .max()
                                .orElse(0),
                        recoveryMillis.get(recoveryMillis.size() / 2),
                        recoveryMillis.get(recoveryMillis.size() - 1));
            }
        }
    }

    /**
     * Where each run is killed, as a count of records in the topic: random points of the catch-up, in order. They
     * stay below 80% of the events, so that every point is reached even when the earlier crashes added few
     * duplicates: points drawn one after another from the previous kill could add up to more records than the
     * topic ever holds, and the run would wait for them in vain.
     */
    private static long[] killPoints(Random random) {
        long[] points = new long[KILLS];
        for (int i = 0; i < KILLS; i++) {
            points[i] = 1 + random.nextInt((int) (0.8 * EVENTS));
        }
        Arrays.sort(points);
        return points;
    }

    /**
     * For each restart (or takeover), how many of its records repeat an event an earlier run delivered; a run ends
     * at the topic's end offsets when it was killed.
     */
    static List<Integer> duplicatesPerRun(List<KafkaRecords.Delivered> delivered, List<Map<Integer, Long>> endsAtKill) {
        List<Integer> perRun = new ArrayList<>();
        Set<String> before = new HashSet<>();
        for (int run = 0; run <= endsAtKill.size(); run++) {
            Set<String> thisRun = new HashSet<>();
            int duplicates = 0;
            for (KafkaRecords.Delivered d : delivered) {
                long from = run == 0 ? 0 : endsAtKill.get(run - 1).getOrDefault(d.partition(), 0L);
                long to = run == endsAtKill.size()
                        ? Long.MAX_VALUE
                        : endsAtKill.get(run).getOrDefault(d.partition(), 0L);
                if (d.offset() >= from && d.offset() < to) {
                    String event = d.event();
                    if (before.contains(event) || !thisRun.add(event)) {
                        duplicates++;
                    }
                }
            }
            if (run > 0) {
                perRun.add(duplicates);
            } else {
                assertThat(duplicates).as("duplicates within the first run").isZero();
            }
            before.addAll(thisRun);
        }
        return perRun;
    }

    private static String properties(EventStoreTestServer server, KafkaTestBroker kafka) throws IOException {
        return new AppProperties(Management.freePort())
                .kafkaConnector(
                        "crash",
                        server,
                        kafka,
                        "orders",
                        "maxInFlight=" + MAX_IN_FLIGHT,
                        "checkpointRecordsThreshold=" + CHECKPOINT_RECORDS,
                        "checkpointInterval=5000")
                .toString();
    }
}
