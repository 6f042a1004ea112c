package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.numbered;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static dev.camel.eventstore.connectors.Connectors.text;
import static dev.camel.eventstore.connectors.Connectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.EventStoreConsumerState;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeAdapter;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code eventstore-kafka-sink} template against the in-process KRaft broker and the testkit EventStoreDB
 * server: what arrives in the topic (count, order per key, bytes, headers, keys), and how a restarted connector
 * continues from its checkpoint, stored in EventStoreDB or in Kafka. Records are read back with a plain
 * {@link KafkaConsumer}, as any other application would read them.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaSinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EventStoreTestServer server;
    private static KafkaTestBroker kafka;
    private static EventStoreDBClient client;

    private final List<CamelContext> contexts = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = EventStoreTestServer.startDefault();
        kafka = KafkaTestBroker.builder().build().start();
        client = Connectors.client(server);
    }

    @AfterAll
    static void stop() throws Exception {
        client.shutdown().get(10, TimeUnit.SECONDS);
        kafka.close();
        server.close();
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    /** A started context with one Kafka connector reading the streams with the given prefix from the start. */
    private CamelContext connector(String routeId, String prefix, String topic, String... more) throws Exception {
        CamelContext context = Connectors.context();
        contexts.add(context);
        Map<String, String> parameters = parameters(
                "connectionString",
                server.connectionString(),
                "initialPosition",
                "earliest",
                "streamNamePrefixes",
                prefix,
                "topic",
                topic,
                "bootstrapServers",
                kafka.bootstrapServers());
        parameters.putAll(parameters(more));
        add(context, ConnectorTemplates.KAFKA, routeId, parameters);
        return context;
    }

    // ---- what arrives ----

    @Test
    void eventsOfSeveralStreamsArriveCompleteInOrderPerKeyWithTheirBytesAndHeaders() throws Exception {
        String topic = "orders-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);
        // 3 streams interleaved in $all, in batches of 5, through the real client (which adds its tracing ids to
        // JSON metadata) and directly into the server
        Map<UUID, Written> written = new LinkedHashMap<>();
        // the server's clock is this JVM's; a millisecond either side for its rounding
        Instant before = Instant.now().minusMillis(1);
        for (int batch = 0; batch < 12; batch++) {
            String stream = "ks1-order-" + (batch % 3);
            List<EventData> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = batch * 5 + i;
                UUID id = UUID.randomUUID();
                byte[] data = Connectors.json(n);
                events.add(EventDataBuilder.json(id, "OrderPlaced", data)
                        .metadataAsBytes(utf8("{\"tenant\":\"acme-" + n + "\",\"$internal\":\"x\"}"))
                        .build());
                written.put(id, new Written(stream, batch / 3 * 5 + i, "OrderPlaced", data, "json"));
            }
            if (batch % 2 == 0) {
                client.appendToStream(stream, AppendToStreamOptions.get(), events.iterator())
                        .get(10, TimeUnit.SECONDS);
            } else {
                server.append(stream, events);
            }
        }
        // binary data, here valid UTF-8 (binaryDataArrivesByteForByte has data that is not)
        UUID binaryId = UUID.randomUUID();
        byte[] binary = utf8("plain text, not JSON: \u00fc\u20ac");
        server.append(
                "ks1-blob-1",
                List.of(EventDataBuilder.binary(binaryId, "BlobStored", binary).build()));
        written.put(binaryId, new Written("ks1-blob-1", 0, "BlobStored", binary, "bytes"));
        Instant after = Instant.now().plusMillis(1);
        Map<UUID, Long> commitPositions = commitPositions();

        CamelContext context = connector(
                "ks1", "ks1-", topic, "keyExtraction", "stream", "defaultHeaders", "source=eventstore, env = test");
        awaitProcessed(context, "ks1", positionOf("ks1-blob-1", 0));
        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);

        // every event exactly once
        assertThat(records).hasSize(written.size());
        assertThat(records)
                .extracting(r -> UUID.fromString(header(r, "esdb-record-id")))
                .containsExactlyInAnyOrderElementsOf(written.keySet());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            UUID id = UUID.fromString(header(record, "esdb-record-id"));
            Written w = written.get(id);
            assertThat(record.value()).as("body of %s", id).isEqualTo(w.data());
            assertThat(text(record.key())).isEqualTo(w.stream());
            assertThat(header(record, "esdb-connector-id")).isEqualTo("ks1");
            assertThat(header(record, "esdb-record-stream-id")).isEqualTo(w.stream());
            assertThat(header(record, "esdb-record-stream-revision")).isEqualTo(Long.toString(w.revision()));
            assertThat(header(record, "esdb-record-log-position")).isEqualTo(Long.toString(commitPositions.get(id)));
            assertThat(header(record, "esdb-record-schema-subject")).isEqualTo(w.type());
            assertThat(header(record, "esdb-record-schema-type")).isEqualTo(w.schemaType());
            assertThat(Instant.parse(header(record, "esdb-record-timestamp"))).isBetween(before, after);
            assertThat(header(record, "source")).isEqualTo("eventstore");
            assertThat(header(record, "env")).isEqualTo("test");
            // user metadata fields become headers; $-prefixed ones (and the client's tracing ids) do not
            List<String> metadataHeaders = names(record).stream()
                    .filter(name -> name.startsWith("esdb-record-headers-"))
                    .toList();
            if (w.schemaType().equals("json")) {
                assertThat(metadataHeaders).containsExactly("esdb-record-headers-tenant");
                assertThat(header(record, "esdb-record-headers-tenant")).isEqualTo("acme-" + number(w.data()));
            } else {
                assertThat(metadataHeaders).isEmpty();
            }
            // the consumer's own Camel headers stay inside Camel
            assertThat(names(record)).noneMatch(name -> name.startsWith("Camel"));
        }

        // one key per stream, all of a key's records in one partition, in stream order
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey =
                records.stream().collect(Collectors.groupingBy(r -> text(r.key())));
        assertThat(byKey).containsOnlyKeys("ks1-order-0", "ks1-order-1", "ks1-order-2", "ks1-blob-1");
        for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> entry : byKey.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> ofKey = entry.getValue();
            assertThat(ofKey)
                    .extracting(ConsumerRecord::partition)
                    .containsOnly(ofKey.get(0).partition());
            assertThat(ofKey)
                    .extracting(r -> Long.parseLong(header(r, "esdb-record-stream-revision")))
                    .containsExactlyElementsOf(revisions(ofKey.size()));
        }
        // and the records of each partition in $all order
        Map<Integer, List<Long>> positionsByPartition = records.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::partition,
                        Collectors.mapping(
                                r -> Long.parseLong(header(r, "esdb-record-log-position")), Collectors.toList())));
        positionsByPartition.values().forEach(p -> assertThat(p).isSorted().doesNotHaveDuplicates());
    }

    private record Written(String stream, long revision, String type, byte[] data, String schemaType) {}

    /** 0 to count - 1. */
    private static List<Long> revisions(int count) {
        return IntStream.range(0, count).mapToObj(i -> (long) i).toList();
    }

    @Test
    void eachKeyExtractionModeGivesItsKey() throws Exception {
        server.append(
                "ks2-tenant1-order-42",
                List.of(EventDataBuilder.json("OrderPlaced", Connectors.json(1))
                        .metadataAsBytes(utf8("{\"region\":\"eu\"}"))
                        .build()));
        server.append(
                "ks2-tenant2-invoice-7",
                List.of(EventDataBuilder.json("InvoiceSent", Connectors.json(2)).build()));
        Map<String, String[]> modes = new LinkedHashMap<>();
        modes.put("none", new String[] {"keyExtraction", "none"});
        modes.put("stream", new String[] {"keyExtraction", "stream"});
        modes.put("suffix", new String[] {"keyExtraction", "streamSuffix"});
        modes.put("regex", new String[] {"keyExtraction", "regex", "keyExpression", "^ks2-([^-]+)-"});
        modes.put("headers", new String[] {
            "keyExtraction", "headers", "keyExpression", "esdb-record-schema-subject, esdb-record-headers-region"
        });
        for (Map.Entry<String, String[]> mode : modes.entrySet()) {
            // a context per connector: the five read the same source, which one context does not allow (see
            // ConnectorCommonTest.twoConnectorsWithTheSameSourceRunInOneContext)
            CamelContext context = Connectors.context();
            contexts.add(context);
            String topic = "keys-" + mode.getKey() + "-" + UUID.randomUUID();
            kafka.createTopic(topic, 1);
            Map<String, String> parameters = parameters(
                    "connectionString",
                    server.connectionString(),
                    "initialPosition",
                    "earliest",
                    "streamNamePrefixes",
                    "ks2-",
                    "topic",
                    topic,
                    "bootstrapServers",
                    kafka.bootstrapServers());
            parameters.putAll(parameters(mode.getValue()));
            add(context, ConnectorTemplates.KAFKA, "ks2-" + mode.getKey(), parameters);
            modes.put(mode.getKey(), new String[] {topic});
        }

        Map<String, List<String>> keys = new HashMap<>();
        for (Map.Entry<String, String[]> mode : modes.entrySet()) {
            String topic = mode.getValue()[0];
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> reader = reader(topic)) {
                await().atMost(WAIT).until(() -> {
                    reader.poll(Duration.ofMillis(100)).forEach(records::add);
                    return records.size() >= 2;
                });
            }
            assertThat(records)
                    .extracting(r -> text(r.value()))
                    .as(mode.getKey())
                    .containsExactly("{\"n\":1}", "{\"n\":2}");
            keys.put(
                    mode.getKey(),
                    records.stream()
                            .map(r -> r.key() == null ? null : text(r.key()))
                            .toList());
        }
        assertThat(keys.get("none")).containsExactly(null, null);
        assertThat(keys.get("stream")).containsExactly("ks2-tenant1-order-42", "ks2-tenant2-invoice-7");
        assertThat(keys.get("suffix")).containsExactly("42", "7");
        assertThat(keys.get("regex")).containsExactly("tenant1", "tenant2");
        // the values of the headers present, joined with -
        assertThat(keys.get("headers")).containsExactly("OrderPlaced-eu", "InvoiceSent");
    }

    /**
     * Kafka options in EventStoreDB's spellings ({@code compression:type} Zstd, {@code securityProtocol} plaintext,
     * {@code saslMechanism} plain), which the settings check accepts ignoring case, dashes and underscores: Kafka
     * gets its own spelling of each, without which its producer refuses "Zstd" at start with a message about
     * compression.type rather than the connector setting. acks=1 needs idempotence=false; on the happy path every
     * event still arrives once, in order per key.
     */
    @Test
    void kafkaOptionsInEventStoreDbSpellingsReachKafkaInItsOwnAndEveryEventArrives() throws Exception {
        String topic = "spellings-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        server.append("ks6-order-1", numbered("OrderPlaced", 0, 40));
        server.append("ks6-order-2", numbered("OrderPlaced", 40, 40));
        server.append("ks6-order-1", numbered("OrderPlaced", 80, 40));
        CamelContext context = connector(
                "ks6",
                "ks6-",
                topic,
                "keyExtraction",
                "stream",
                "compression",
                "Zstd",
                "acks",
                "1",
                "idempotence",
                "false",
                "securityProtocol",
                "plaintext",
                "saslMechanism",
                "plain");
        awaitProcessed(context, "ks6", positionOf("ks6-order-1", 79));

        // what the producer was configured with: Kafka's spellings
        KafkaConfiguration configuration = context.getEndpoints().stream()
                .filter(KafkaEndpoint.class::isInstance)
                .map(e -> ((KafkaEndpoint) e).getConfiguration())
                .findFirst()
                .orElseThrow();
        assertThat(configuration.getCompressionCodec()).isEqualTo("zstd");
        assertThat(configuration.getRequestRequiredAcks()).isEqualTo("1");
        assertThat(configuration.getSecurityProtocol()).isEqualTo("PLAINTEXT");
        assertThat(configuration.getSaslMechanism()).isEqualTo("PLAIN");

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
        assertThat(records).hasSize(120);
        Map<String, List<Integer>> byKey = records.stream()
                .collect(Collectors.groupingBy(
                        r -> text(r.key()), Collectors.mapping(r -> number(r.value()), Collectors.toList())));
        assertThat(byKey).containsOnlyKeys("ks6-order-1", "ks6-order-2");
        List<Integer> first = new ArrayList<>(IntStream.range(0, 40).boxed().toList());
        first.addAll(IntStream.range(80, 120).boxed().toList());
        assertThat(byKey.get("ks6-order-1")).containsExactlyElementsOf(first);
        assertThat(byKey.get("ks6-order-2"))
                .containsExactlyElementsOf(IntStream.range(40, 80).boxed().toList());
    }

    // ---- restarts ----

    @Test
    void aRestartedConnectorContinuesFromItsCheckpointInEventStoreDb() throws Exception {
        String topic = "restart-es-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        restartContinuesFromTheCheckpoint("ks3", topic, "checkpointInterval", "200");
        // the checkpoint is an event of the connector's own checkpoint stream
        assertThat(SubscriptionPosition.parse(Connectors.storedCheckpoint(client, "camel-checkpoint-ks3"), true))
                .isGreaterThanOrEqualTo(positionOf("ks3-orders-3", 19));
    }

    @Test
    void aRestartedConnectorContinuesFromItsCheckpointInKafka() throws Exception {
        String topic = "restart-kafka-" + UUID.randomUUID();
        String checkpoints = "checkpoints-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        kafka.createTopic(checkpoints, 1);
        restartContinuesFromTheCheckpoint(
                "ks4",
                topic,
                "checkpointStore",
                "kafka",
                "checkpointKafkaBootstrapServers",
                kafka.bootstrapServers(),
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
        SubscriptionPosition lastEvent = positionOf("ks4-orders-3", 19);
        assertThat(stored).hasSizeGreaterThanOrEqualTo(320).allMatch(p -> p.compareTo(lastEvent) <= 0);
        assertThat(stored.get(stored.size() - 1)).isEqualTo(lastEvent);
        // and nothing went to EventStoreDB
        assertThat(Connectors.storedCheckpoint(client, "camel-checkpoint-ks4")).isNull();
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
        server.append(stream, numbered("OrderPlaced", 0, 150));
        server.append(routeId + "-orders-2", numbered("OrderPlaced", 150, 50));
        CamelContext first = connector(routeId, routeId + "-", topic, checkpointSettings);
        try (KafkaConsumer<byte[], byte[]> reader = reader(topic)) {
            List<Integer> numbers = new ArrayList<>();
            await().atMost(WAIT).until(() -> poll(reader, numbers) >= 200);
            first.stop();

            server.append(stream, numbered("OrderPlaced", 200, 100));
            CamelContext second = connector(routeId, routeId + "-", topic, checkpointSettings);
            await().atMost(WAIT).until(() -> poll(reader, numbers) >= 300);
            await().atMost(WAIT).until(() -> consumer(second, routeId).getState() == EventStoreConsumerState.LIVE);
            server.append(routeId + "-orders-3", numbered("OrderPlaced", 300, 20));
            SubscriptionPosition last = SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition());
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

    @Test
    void binaryDataArrivesByteForByte() throws Exception {
        String topic = "binary-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, 127, (byte) 0x80};
        server.append(
                "ks5-blob-1",
                List.of(EventDataBuilder.binary("BlobStored", binary).build()));
        CamelContext context = connector("ks5", "ks5-", topic);
        awaitProcessed(context, "ks5", positionOf("ks5-blob-1", 0));

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).isEqualTo(binary);
        assertThat(header(records.get(0), "esdb-record-schema-type")).isEqualTo("bytes");
    }

    // ---- positions ----

    /** The $all position of a stream's event, as the server reports it. */
    private static SubscriptionPosition positionOf(String stream, long revision) throws Exception {
        return SubscriptionPosition.ofAll(client.readStream(
                        stream, ReadStreamOptions.get().fromRevision(revision).maxCount(1))
                .get(10, TimeUnit.SECONDS)
                .getEvents()
                .get(0)
                .getOriginalEvent()
                .getPosition());
    }

    /**
     * Waits until the connector has processed everything up to the position (each event up to it was acknowledged
     * by the broker). The processed position may also move past it, on the server's checkpoints of the filtered
     * subscription.
     */
    private static void awaitProcessed(CamelContext context, String routeId, SubscriptionPosition position) {
        await().atMost(WAIT).until(() -> {
            SubscriptionPosition processed = consumer(context, routeId).getProcessedPosition();
            return processed != null && processed.compareTo(position) >= 0;
        });
    }

    // ---- reading the topic ----

    private static KafkaConsumer<byte[], byte[]> reader(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
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
    private static int poll(KafkaConsumer<byte[], byte[]> reader, List<Integer> numbers) {
        reader.poll(Duration.ofMillis(100)).forEach(r -> numbers.add(number(r.value())));
        return numbers.size();
    }

    /** Every record the topic holds now, partition by partition. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
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
    private static Map<UUID, Long> commitPositions() throws Exception {
        Map<UUID, Long> positions = new HashMap<>();
        for (ResolvedEvent e : client.readAll(ReadAllOptions.get().fromStart().maxCount(100_000))
                .get(10, TimeUnit.SECONDS)
                .getEvents()) {
            RecordedEvent event = e.getOriginalEvent();
            positions.put(event.getEventId(), event.getPosition().getCommitUnsigned());
        }
        return positions;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    private static List<String> names(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(h -> names.add(h.key()));
        return names;
    }
}
