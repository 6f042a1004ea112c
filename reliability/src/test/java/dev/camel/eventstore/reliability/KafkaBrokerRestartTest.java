package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the Kafka broker stopped and started again (same port, same log directory) in the middle of a stream
 * of events over many streams, while the Kafka connector delivers them with the idempotent producer. Nothing may be
 * lost and each key's (stream's) order must hold; a duplicate is allowed only where the connector sent an event again
 * after a failed attempt. While the broker is down the connector's position and checkpoint wait.
 */
class KafkaBrokerRestartTest {
    private static final String ID = "kafka-restart";
    private static final String PREFIX = "kr-order-";
    private static final String TOPIC = "orders";
    private static final int STREAMS = 60;
    private static final int EVENTS = Scale.of(24_000);
    private static final int RESTARTS = Scale.of(2);
    /** Events written before the first restart and while the broker is down each time. */
    private static final int CHUNK = EVENTS / (RESTARTS + 1);
    /** How long the broker stays down once the connector's position has settled. */
    private static final Duration OUTAGE = Duration.ofSeconds(2);

    private static final long CHECKPOINT_INTERVAL = 500;
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** One restart as measured. */
    private record Restart(long stopMillis, long downMillis, long startMillis, long resumeMillis, long catchUpMillis) {}

    @Test
    void brokerStoppedAndStartedMidStreamLosesNothingAndKeepsEachKeysOrder() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                KafkaTestBroker kafka = KafkaTestBroker.builder().build().start();
                CapturedLog log = new CapturedLog()) {
            kafka.createTopic(TOPIC, 3);
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            List<Restart> restarts = new ArrayList<>();
            int written = 0;
            long failedAttempts;
            Map<String, Double> producer;
            try (CamelContext camel = Connectors.context();
                    KafkaRecords<KafkaRecords.Delivered> topic =
                            KafkaRecords.delivered(kafka.bootstrapServers(), TOPIC)) {
                InterleavedEvents.append(server, PREFIX, STREAMS, 10, 0, CHUNK);
                written += CHUNK;
                Set<ObjectName> otherProducers = producers();
                Connectors.add(
                        camel,
                        ConnectorTemplates.KAFKA,
                        ID,
                        Connectors.fromStart(
                                server.connectionString(),
                                PREFIX,
                                "bootstrapServers",
                                kafka.bootstrapServers(),
                                "topic",
                                TOPIC,
                                "keyExtraction",
                                "stream",
                                "retryInitialDelay",
                                "200",
                                "retryMaxDelay",
                                "2000",
                                "checkpointInterval",
                                String.valueOf(CHECKPOINT_INTERVAL)));
                EventStoreConsumer consumer = Connectors.consumer(camel, ID);

                for (int r = 0; r < RESTARTS; r++) {
                    // mid-stream: half of the events written so far are in the topic
                    long halfway = written - CHUNK / 2;
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> topic.size() >= halfway);
                    int writtenBeforeStop = written;
                    long stopping = System.nanoTime();
                    kafka.stop();
                    long stopped = System.nanoTime();
                    InterleavedEvents.append(server, PREFIX, STREAMS, 10, written, CHUNK);
                    written += CHUNK;
                    // sends acknowledged before the stop complete; then the position and the checkpoint wait
                    await().atMost(WAIT)
                            .during(Duration.ofMillis(2 * CHECKPOINT_INTERVAL + 200))
                            .until(() -> Objects.equals(
                                    consumer.getProcessedPosition(), CheckpointHistory.latest(client, ID)));
                    SubscriptionPosition held = consumer.getProcessedPosition();
                    await().atMost(OUTAGE.plus(WAIT))
                            .during(OUTAGE)
                            .until(() -> held.equals(consumer.getProcessedPosition())
                                    && held.equals(CheckpointHistory.latest(client, ID)));
                    long starting = System.nanoTime();
                    kafka.start();
                    long started = System.nanoTime();
                    await().atMost(WAIT)
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> !held.equals(consumer.getProcessedPosition()));
                    long resumed = System.nanoTime();
                    // everything written before the stop is in the topic (the rest keeps coming: the next
                    // restart is again in the middle of it)
                    await().atMost(WAIT).until(() -> topic.distinctEvents() >= writtenBeforeStop);
                    long caughtUp = System.nanoTime();
                    restarts.add(new Restart(
                            millis(stopping, stopped),
                            millis(stopped, starting),
                            millis(starting, started),
                            millis(started, resumed),
                            millis(started, caughtUp)));
                }
                int total = written;
                await().atMost(WAIT).until(() -> topic.distinctEvents() == total);
                failedAttempts = consumer.getFailedCount();
                producer = producerMetrics(otherProducers);
                camel.getRouteController().stopRoute(ID);
                Map<String, Long> positions = InterleavedEvents.positions(client, PREFIX);
                assertThat(positions).hasSize(total);
                long last = positions.values().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElseThrow();
                assertThat(CheckpointHistory.latest(client, ID).commit()).isGreaterThanOrEqualTo(last);

                List<KafkaRecords.Delivered> records = topic.readAll();
                // each stream's records are in one partition, in offset order: a stream never jumps ahead; it goes
                // back only to repeat what it had sent
                KafkaRecords.Events events = KafkaRecords.assertEachStreamInOnePartitionInOrder(records);
                Set<String> seen = events.distinct();
                Map<String, Long> highest = events.highestRevisions();
                // every event written, no other
                assertThat(seen.size()).isEqualTo(total);
                assertThat(seen.equals(positions.keySet()))
                        .as("the events in the topic are the events written")
                        .isTrue();
                assertThat(highest).hasSize(STREAMS);
                long duplicates = records.size() - total;
                // the idempotent producer's own retries write nothing twice; the connector sends again only after a
                // failed attempt, one event per attempt
                assertThat(duplicates).isLessThanOrEqualTo(failedAttempts);

                List<String> connectorLines = log.warningsAndErrors().stream()
                        .filter(l -> l.contains(" dev.camel.") || l.contains(" org.apache.camel."))
                        .toList();
                List<String> producerLines = log.warningsAndErrorsOfThread("kafka-producer-network-thread");
                assertThat(log.errors()).as("ERROR lines").isEmpty();
                Results.record(
                        "kafka-broker-restart",
                        "%,d events over %d streams (keys) into 3 partitions, broker stopped and started %d times"
                                + " mid-stream, %,d events written while it was down: %,d records, 0 lost, %d"
                                + " duplicated, order per key kept; position and checkpoint unmoved while down;"
                                + " per restart [stop ms, down ms, start ms, first acknowledged send after start ms,"
                                + " all written before the stop in the topic after start ms]: %s; connector failed attempts %d; producer"
                                + " record-retry-total %.0f, record-error-total %.0f; WARN/ERROR lines: connector %d"
                                + " %s, producer %d %s",
                        total,
                        STREAMS,
                        RESTARTS,
                        (long) RESTARTS * CHUNK,
                        records.size(),
                        duplicates,
                        restarts.stream()
                                .map(r -> List.of(
                                        r.stopMillis(),
                                        r.downMillis(),
                                        r.startMillis(),
                                        r.resumeMillis(),
                                        r.catchUpMillis()))
                                .toList(),
                        failedAttempts,
                        producer.getOrDefault("record-retry-total", -1.0),
                        producer.getOrDefault("record-error-total", -1.0),
                        connectorLines.size(),
                        shapes(connectorLines),
                        producerLines.size(),
                        shapes(producerLines));
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /** The Kafka producers in this JVM, by the names of their JMX metrics. */
    private static Set<ObjectName> producers() throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null);
    }

    /** The connector's Kafka producer's totals, from its JMX metrics: those of the producers not there before. */
    private static Map<String, Double> producerMetrics(Set<ObjectName> before) throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Map<String, Double> totals = new HashMap<>();
        for (ObjectName name : producers()) {
            if (before.contains(name)) {
                continue;
            }
            for (String attribute : List.of("record-retry-total", "record-error-total", "record-send-total")) {
                Object value = mbeans.getAttribute(name, attribute);
                if (value instanceof Number n) {
                    totals.merge(attribute, n.doubleValue(), Double::sum);
                }
            }
        }
        return totals;
    }

    /** Log lines without their numbers, with how often each occurred: what an operator would see, in short. */
    private static Map<String, Integer> shapes(List<String> lines) {
        Map<String, Integer> shapes = new TreeMap<>();
        for (String line : lines) {
            String shape = line.replaceAll("\\d+", "#");
            shapes.merge(shape.length() > 160 ? shape.substring(0, 160) + "..." : shape, 1, Integer::sum);
        }
        return shapes;
    }
}
