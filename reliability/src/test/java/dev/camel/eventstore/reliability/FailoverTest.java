package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import dev.camel.eventstore.testkit.zookeeper.ZooKeeperTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: high availability. Three replicas of the connectors application (each its own JVM) run one Kafka
 * connector while events are written continuously; whichever replica is active is SIGKILLed at random moments,
 * {@value #BASE_KILLS} times, and a new standby is started in its place. With ZooKeeper the coordination service is
 * also restarted once. Nothing may be lost, each stream's order must hold, each takeover may repeat only the events
 * after the last checkpoint, never two replicas may be active at once, and deliveries must resume within 10 s of
 * each kill with the default timings.
 */
class FailoverTest {
    static final int BASE_KILLS = 20;
    private static final int KILLS = Scale.of(BASE_KILLS);
    private static final int REPLICAS = 3;
    static final int CHECKPOINT_RECORDS = 100;
    static final int MAX_IN_FLIGHT = 50;
    static final String CONNECTOR = "orders-kafka";
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(10);

    /** Kept when a test fails: each replica's output is in {@code <id>/output.log}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void zooKeeperReplicasTakeOverWithinTenSecondsLosingNothing() throws Exception {
        try (ZooKeeperTestServer zooKeeper =
                ZooKeeperTestServer.builder().build().start()) {
            run(
                    "zookeeper",
                    "connectors.cluster.service=zookeeper\nconnectors.cluster.zookeeper.nodes="
                            + zooKeeper.connectString() + "\n",
                    zooKeeper::restart);
        }
    }

    @Test
    void fileLockReplicasTakeOverWithinTenSecondsLosingNothing() throws Exception {
        run(
                "file",
                "connectors.cluster.service=file\nconnectors.cluster.file.root=" + work.resolve("locks") + "\n",
                null);
    }

    /**
     * @param restartCoordination restarts the coordination service halfway, or {@code null} where there is none
     */
    private void run(String coordination, String cluster, Runnable restartCoordination) throws Exception {
        Random random = new Random();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                KafkaTestBroker kafka = KafkaTestBroker.builder()
                        .logDir(work.resolve("kafka"))
                        .build()
                        .start()) {
            kafka.createTopic("orders", 3);
            String properties = connector(server, kafka) + cluster;
            List<Map<Integer, Long>> endsAtKill = new ArrayList<>();
            List<Long> takeoverMillis = new ArrayList<>();
            long coordinationGapMillis = -1;
            int written;
            try (KafkaRecords<KafkaRecords.Delivered> topic =
                            KafkaRecords.delivered(kafka.bootstrapServers(), "orders");
                    ContinuousWriter writer = new ContinuousWriter(server, 10, 5).start();
                    Replicas replicas = new Replicas(work, properties, CONNECTOR)) {
                for (int i = 0; i < REPLICAS; i++) {
                    replicas.launch();
                }
                replicas.watchLeadership(watch);
                for (int kill = 0; kill < KILLS; kill++) {
                    if (kill == KILLS / 2 && restartCoordination != null) {
                        coordinationGapMillis = restartAndMeasure(topic, restartCoordination);
                    }
                    Replicas.Replica active = awaitOneActive(replicas);
                    // a random moment: after a random number of further deliveries
                    long until = topic.size() + 100 + random.nextInt(900);
                    await().atMost(Duration.ofSeconds(60)).until(() -> topic.size() >= until);
                    long killed = System.nanoTime();
                    replicas.kill(active);
                    Map<Integer, Long> ends = topic.endOffsets();
                    endsAtKill.add(ends);
                    long end = ends.values().stream().mapToLong(Long::longValue).sum();
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> topic.size() > end);
                    takeoverMillis.add(Replicas.since(killed).toMillis());
                    replicas.launch();
                }
                written = writer.stop();
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> topic.distinctEvents() == written);
                assertThat(replicas.overlaps())
                        .as("samples (of %d) in which two replicas were active at once", replicas.samples())
                        .isZero();
                int samples = replicas.samples();

                List<KafkaRecords.Delivered> delivered = topic.readAll();
                KafkaRecords.Events events = KafkaRecords.assertEachStreamInOnePartitionInOrder(delivered);
                assertThat(events.distinct()).hasSize(written);
                List<Integer> duplicates = CrashRecoveryTest.duplicatesPerRun(delivered, endsAtKill);
                assertThat(duplicates)
                        .as("events repeated after each takeover")
                        .allMatch(d -> d <= CHECKPOINT_RECORDS + 2 * MAX_IN_FLIGHT);
                List<Long> sorted = takeoverMillis.stream().sorted().toList();
                long p50 = sorted.get(sorted.size() / 2);
                long max = sorted.get(sorted.size() - 1);
                assertThat(max)
                        .as("takeover times %s ms", takeoverMillis)
                        .isLessThanOrEqualTo(TAKEOVER_LIMIT.toMillis());
                Results.record(
                        "failover-" + coordination,
                        "%d replicas, %d SIGKILLs of the active one%s, %,d events written continuously: 0 lost, order"
                                + " per stream kept, %,d duplicated (per takeover %s; max %d, bound %d), 0 of %d"
                                + " samples with two active replicas; kill to next delivered event p50 %d ms, max %d"
                                + " ms (all: %s)",
                        REPLICAS,
                        KILLS,
                        coordinationGapMillis < 0
                                ? ""
                                : ", ZooKeeper restarted once (gap " + coordinationGapMillis + " ms)",
                        written,
                        delivered.size() - written,
                        duplicates,
                        duplicates.stream().mapToInt(Integer::intValue).max().orElse(0),
                        CHECKPOINT_RECORDS + 2 * MAX_IN_FLIGHT,
                        samples,
                        p50,
                        max,
                        takeoverMillis);
            }
        } finally {
            watch.shutdownNow();
        }
    }

    private static Replicas.Replica awaitOneActive(Replicas replicas) {
        List<List<Replicas.Replica>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<Replicas.Replica> active = replicas.active();
                    found.add(active);
                    return active.size() == 1;
                });
        return found.get(found.size() - 1).get(0);
    }

    /** Restarts the coordination service; returns the time until the next delivered event. */
    private static long restartAndMeasure(KafkaRecords<?> topic, Runnable restart) {
        long before = topic.size();
        long started = System.nanoTime();
        restart.run();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> topic.size() > before);
        return Replicas.since(started).toMillis();
    }

    static String connector(EventStoreTestServer server, KafkaTestBroker kafka) {
        return new AppProperties()
                .kafkaConnector(
                        CONNECTOR,
                        server,
                        kafka,
                        "orders",
                        "maxInFlight=" + MAX_IN_FLIGHT,
                        "checkpointRecordsThreshold=" + CHECKPOINT_RECORDS,
                        "checkpointInterval=1000")
                .toString();
    }
}
