package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import dev.camel.eventstore.testkit.zookeeper.ZooKeeperTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: fencing. The active replica is paused (SIGSTOP) past its ZooKeeper session, another replica takes over
 * and writes checkpoints, then the paused one is resumed (SIGCONT). It must stop by itself, and the stored checkpoint
 * must never go backwards nor past an event that was not yet delivered.
 */
class PausedReplicaTest {
    /** Kept when a test fails: each replica's output is in {@code <id>/output.log}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void aReplicaPausedPastItsSessionStopsByItselfAndNeverMovesTheCheckpoint() throws Exception {
        try (ZooKeeperTestServer zooKeeper =
                        ZooKeeperTestServer.builder().build().start();
                EventStoreTestServer server = EventStoreTestServer.startDefault();
                KafkaTestBroker kafka = KafkaTestBroker.builder()
                        .logDir(work.resolve("kafka"))
                        .build()
                        .start()) {
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            kafka.createTopic("orders", 3);
            String properties = FailoverTest.connector(server, kafka)
                    + "connectors.cluster.service=zookeeper\nconnectors.cluster.zookeeper.nodes="
                    + zooKeeper.connectString() + "\n";
            int written;
            try (KafkaRecords<KafkaRecords.Stored> topic = KafkaRecords.stored(kafka.bootstrapServers(), "orders");
                    ContinuousWriter writer = new ContinuousWriter(server, 10, 5).start();
                    Replicas replicas = new Replicas(work, properties, FailoverTest.CONNECTOR)) {
                Replicas.Replica first = replicas.launch();
                await().atMost(Duration.ofSeconds(60)).until(() -> first.isActive(FailoverTest.CONNECTOR));
                Replicas.Replica second = replicas.launch();
                long delivering = topic.size() + 300;
                await().atMost(Duration.ofSeconds(60)).until(() -> topic.size() >= delivering);

                first.app().signal("STOP");
                await().atMost(Duration.ofSeconds(30)).until(() -> second.isActive(FailoverTest.CONNECTOR));
                // the new leader delivers and stores checkpoints (one every 100 events) while the first is paused
                long afterTakeover = topic.size() + 500;
                await().atMost(Duration.ofSeconds(60)).until(() -> topic.size() >= afterTakeover);
                first.app().signal("CONT");

                await().atMost(Duration.ofSeconds(30)).until(() -> first.app().stdout().stream()
                        .anyMatch(l ->
                                l.contains("leadership lost") || l.contains("another replica runs this consumer")));
                await().atMost(Duration.ofSeconds(30)).until(() -> !first.isActive(FailoverTest.CONNECTOR));
                assertThat(first.app().isAlive()).isTrue();
                assertThat(second.isActive(FailoverTest.CONNECTOR)).isTrue();

                written = writer.stop();
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> topic.distinctEvents() == written);
                List<KafkaRecords.Stored> delivered = topic.readAll();
                assertThat(KafkaRecords.assertEachStreamInOnePartitionInOrder(delivered)
                                .distinct())
                        .hasSize(written);
                List<CheckpointHistory.Stored> checkpoints = CheckpointHistory.all(client, FailoverTest.CONNECTOR);
                assertNeverBackwards(checkpoints);
                assertNeverPastAnUndeliveredEvent(checkpoints, delivered);
                Results.record(
                        "paused-replica",
                        "active replica paused (SIGSTOP) past its ZooKeeper session, the standby took over, then"
                                + " resumed (SIGCONT): it stopped by itself; %d checkpoints stored, never backwards,"
                                + " never past an undelivered event; %,d events, 0 lost, %,d duplicated",
                        checkpoints.size(),
                        written,
                        delivered.size() - written);
            }
        }
    }

    private static void assertNeverBackwards(List<CheckpointHistory.Stored> checkpoints) {
        for (int i = 1; i < checkpoints.size(); i++) {
            assertThat(checkpoints
                                    .get(i)
                                    .position()
                                    .isAfter(checkpoints.get(i - 1).position())
                            || checkpoints
                                    .get(i)
                                    .position()
                                    .equals(checkpoints.get(i - 1).position()))
                    .as(
                            "checkpoint %d (%s) after checkpoint %d (%s)",
                            i,
                            checkpoints.get(i).position(),
                            i - 1,
                            checkpoints.get(i - 1).position())
                    .isTrue();
        }
    }

    /**
     * Every event at or before a stored checkpoint had reached Kafka when the checkpoint was written: its first
     * record's timestamp (the producer's clock, on this machine) is not after the checkpoint's.
     */
    private static void assertNeverPastAnUndeliveredEvent(
            List<CheckpointHistory.Stored> checkpoints, List<KafkaRecords.Stored> delivered) {
        Map<Long, Long> firstDelivery = new HashMap<>();
        for (KafkaRecords.Stored record : delivered) {
            firstDelivery.merge(record.logPosition(), record.timestamp(), Math::min);
        }
        for (CheckpointHistory.Stored checkpoint : checkpoints) {
            SubscriptionPosition position = checkpoint.position();
            long writtenAt = checkpoint.written().toEpochMilli();
            firstDelivery.forEach((logPosition, deliveredAt) -> {
                if (logPosition <= position.commit()) {
                    assertThat(deliveredAt)
                            .as(
                                    "delivery of the event at %d, covered by checkpoint %s written at %d",
                                    logPosition, position, writtenAt)
                            .isLessThanOrEqualTo(writtenAt);
                }
            });
        }
    }
}
