package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.EventStoreConsumerState;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restarted Kafka connector continues from its checkpoint, stored in EventStoreDB or in Kafka.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaSinkRestartTest extends KafkaConnectorTest {
    // ---- restarts ----

    @Test
    void aRestartedConnectorContinuesFromItsCheckpointInEventStoreDb() throws Exception {
        String topic = newTopic("restart-es-", 1);
        restartContinuesFromTheCheckpoint("ks3", topic, "checkpointInterval", "200");
        // the checkpoint is an event of the connector's own checkpoint stream
        assertThat(SubscriptionPosition.parse(Connectors.storedCheckpoint(client(), "camel-checkpoint-ks3"), true))
                .isGreaterThanOrEqualTo(Connectors.positionOf(client(), "ks3-orders-3", 19));
    }

    @Test
    void aRestartedConnectorContinuesFromItsCheckpointInKafka() throws Exception {
        String topic = newTopic("restart-kafka-", 1);
        String checkpoints = newTopic("checkpoints-", 1);
        restartContinuesFromTheCheckpoint(
                "ks4",
                topic,
                "checkpointStore",
                "kafka",
                "checkpointKafkaBootstrapServers",
                kafka().bootstrapServers(),
                "checkpointKafkaTopic",
                checkpoints);
        // the checkpoints are records of the given topic, under the connector id; the newest is the last event
        // (besides the markers under "ks4#loaded" with which the consumer checks it read the topic to its end)
        EventStoreResumeAdapter decoder = new EventStoreResumeAdapter();
        List<SubscriptionPosition> stored = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(checkpoints)) {
            Object key = decoder.deserializeKey(ByteBuffer.wrap(record.key()));
            assertThat(key).isIn("ks4", "ks4#loaded");
            if (key.equals("ks4")) {
                stored.add(SubscriptionPosition.parse(
                        (String) decoder.deserializeValue(ByteBuffer.wrap(record.value())), true));
            }
        }
        // one per event at least (exchanges complete concurrently, maxInFlight=100, so the records are not always
        // in position order); the last one, written when the connector stopped, is the newest: the last event
        SubscriptionPosition lastEvent = Connectors.positionOf(client(), "ks4-orders-3", 19);
        assertThat(stored).hasSizeGreaterThanOrEqualTo(320).allMatch(p -> p.compareTo(lastEvent) <= 0);
        assertThat(stored.get(stored.size() - 1)).isEqualTo(lastEvent);
        // and nothing went to EventStoreDB
        assertThat(Connectors.storedCheckpoint(client(), "camel-checkpoint-ks4"))
                .isNull();
    }

    /**
     * Events before the first start, while the connector is stopped, and after it restarted (a new CamelContext,
     * the same route id): each reaches the topic exactly once, in order. A graceful stop stores the last
     * processed position, so there are no duplicates; a lost or ignored checkpoint would deliver the first events
     * again ({@code initialPosition=earliest}).
     */
    private void restartContinuesFromTheCheckpoint(String routeId, String topic, String... checkpointSettings)
            throws Exception {
        String stream = routeId + "-orders-1";
        server().append(stream, numbered("OrderPlaced", 0, 150));
        server().append(routeId + "-orders-2", numbered("OrderPlaced", 150, 50));
        CamelContext first = connector(routeId, routeId + "-", topic, checkpointSettings);
        try (KafkaConsumer<byte[], byte[]> reader = reader(topic)) {
            List<Integer> numbers = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(reader, numbers) >= 200);
            first.stop();

            server().append(stream, numbered("OrderPlaced", 200, 100));
            CamelContext second = connector(routeId, routeId + "-", topic, checkpointSettings);
            await().atMost(WAIT).until(() -> poll(reader, numbers) >= 300);
            await().atMost(WAIT).until(() -> consumer(second, routeId).getState() == EventStoreConsumerState.LIVE);
            server().append(routeId + "-orders-3", numbered("OrderPlaced", 300, 20));
            SubscriptionPosition last = SubscriptionPosition.ofAll(server().lastPosition(), server().lastPosition());
            await().atMost(WAIT)
                    .until(() -> last.equals(consumer(second, routeId).getProcessedPosition()));
            second.stop();
            // everything the broker has, after the connector processed its last event
            numbers.clear();
            readAll(topic).forEach(r -> numbers.add(number(r.value())));
            assertThat(numbers)
                    .containsExactlyElementsOf(IntStream.range(0, 320).boxed().toList());
        }
    }
}
