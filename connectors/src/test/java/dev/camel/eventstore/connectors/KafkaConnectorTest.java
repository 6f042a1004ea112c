package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.fromStart;
import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static dev.camel.eventstore.connectors.Connectors.text;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.RecordedEvent;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the {@code eventstore-kafka-sink} tests share: the in-process KRaft broker and the testkit EventStoreDB
 * server, connectors reading streams by prefix, and reading a topic back with a plain {@link KafkaConsumer}, as any
 * other application would read it.
 */
abstract class KafkaConnectorTest extends ConnectorTestSupport {
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final PerClassResource<KafkaTestBroker> KAFKA =
            new PerClassResource<>(() -> KafkaTestBroker.builder().build().start());

    static KafkaTestBroker kafka() {
        return KAFKA.get();
    }

    /** A new topic, named {@code prefix} and a random UUID. */
    static String newTopic(String prefix, int partitions) {
        String topic = prefix + UUID.randomUUID();
        kafka().createTopic(topic, partitions);
        return topic;
    }

    /** A started context with one Kafka connector reading the streams with the given prefix from the start. */
    CamelContext connector(String routeId, String prefix, String topic, String... more) throws Exception {
        CamelContext context = closeAfterTest(Connectors.context());
        Map<String, String> parameters = fromStart(
                server().connectionString(), prefix, "topic", topic, "bootstrapServers", kafka().bootstrapServers());
        parameters.putAll(parameters(more));
        add(context, ConnectorTemplates.KAFKA, routeId, parameters);
        return context;
    }

    // ---- positions ----

    /**
     * Waits until the connector has processed everything up to the position (each event up to it was acknowledged
     * by the broker). The processed position may also move past it, on the server's checkpoints of the filtered
     * subscription.
     */
    static void awaitProcessed(CamelContext context, String routeId, SubscriptionPosition position) {
        await().atMost(WAIT).until(() -> {
            SubscriptionPosition processed = consumer(context, routeId).getProcessedPosition();
            return processed != null && processed.compareTo(position) >= 0;
        });
    }

    // ---- reading the topic ----

    static KafkaConsumer<byte[], byte[]> reader(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Polls once, adding the numbers of the records read; returns how many numbers there are. */
    static int poll(KafkaConsumer<byte[], byte[]> reader, List<Integer> numbers) {
        reader.poll(Duration.ofMillis(100)).forEach(r -> numbers.add(number(r.value())));
        return numbers.size();
    }

    /** Every record the topic holds now, partition by partition. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = reader(topic)) {
            Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
            await().atMost(WAIT).until(() -> {
                reader.poll(Duration.ofMillis(100)).forEach(records::add);
                return end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
            });
        }
        return records;
    }

    /** The commit position in $all of every event, by id, as the server reports it. */
    static Map<UUID, Long> commitPositions() throws Exception {
        Map<UUID, Long> positions = new HashMap<>();
        for (RecordedEvent event : StreamReads.all(client())) {
            positions.put(event.getEventId(), event.getPosition().getCommitUnsigned());
        }
        return positions;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    static List<String> names(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(h -> names.add(h.key()));
        return names;
    }
}
