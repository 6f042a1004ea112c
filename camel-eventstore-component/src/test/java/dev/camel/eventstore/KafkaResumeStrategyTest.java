package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.resume.EventStoreResumeAdapter;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.resume.kafka.KafkaResumeStrategyConfigurationBuilder;
import org.apache.camel.processor.resume.kafka.SingleNodeKafkaResumeStrategy;
import org.apache.camel.resume.Deserializable;
import org.apache.camel.resume.Resumable;
import org.apache.camel.support.resume.Resumables;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * camel-kafka's {@link SingleNodeKafkaResumeStrategy} as the {@code eventstore:} route's resume strategy, with a
 * real broker: offsets go to a topic as serialised {@code String}s, and a restarted route resumes from the newest;
 * a {@code Long} offset (a stream revision) written by someone else is resumed from too.
 *
 * <p>The strategy loads its topic on a thread of its own; {@code loadCache()} returns at once. The consumer waits
 * for it through {@code ResumeLoading}, which is what the restart right after many writes checks.
 */
class KafkaResumeStrategyTest {
    private static KafkaTestBroker kafka;

    private EventStoreTestServer server;
    private String topic;
    private final List<CamelContext> contexts = new ArrayList<>();
    private final List<Integer> numbers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestBroker.builder().build().start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void start() {
        server = EventStoreTestServer.startDefault();
        topic = "eventstore-offsets-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
    }

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
        server.close();
    }

    @Test
    void restartResumesFromTheOffsetStoredInKafka() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 50);
        CamelContext first = startRoute(quicklyPolling());
        await().until(() -> numbers.size() >= 50);
        first.stop();
        // one String offset per completed exchange, under the route's key; the newest is the last event
        // (and the consumer's final position once more when it stops)
        assertThat(storedOffsets("kafka-orders"))
                .hasSizeBetween(50, 51)
                .startsWith("0", "1", "2")
                .last()
                .isEqualTo("49");

        TestEvents.append(server, "orders-1", "OrderPlaced", 50, 30);
        CamelContext second = startRoute(quicklyPolling());
        await().until(() -> numbers.size() >= 80);
        TestEvents.append(server, "orders-1", "OrderPlaced", 80, 5);
        await().until(() -> numbers.size() >= 85);
        second.stop();

        assertThat(numbers).containsExactlyElementsOf(range(0, 85));
        assertThat(storedOffsets("kafka-orders")).last().isEqualTo("84");
    }

    @Test
    void restartRightAfterManyWritesResumesFromTheNewestOffset() throws Exception {
        // a topic holding many offsets, written just before the route starts: far more than the strategy's own
        // "initialised" signal (its first polls, 500 records each) covers
        int written = 30_000;
        List<Resumable> offsets = new ArrayList<>();
        for (int position = 0; position < written; position++) {
            offsets.add(Resumables.of("kafka-orders", Integer.toString(position)));
        }
        produce(offsets);
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, written + 3);

        CamelContext context = startRoute();
        await().atMost(Duration.ofSeconds(30)).until(() -> numbers.size() >= 3);
        context.stop();

        // only the events after the newest stored offset
        assertThat(numbers).containsExactly(written, written + 1, written + 2);
        assertThat(storedOffsets("kafka-orders")).last().isEqualTo(Integer.toString(written + 2));
    }

    @Test
    void aLongOffsetIsResumedFromAsTheStreamRevision() throws Exception {
        // what another writer of the topic (or an older version of it) may store: the revision as a Long, which
        // the strategy serialises with its own type tag, not the String the route writes
        produce(List.of(Resumables.of("kafka-orders", 41L)));
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 50);

        CamelContext context = startRoute(quicklyPolling());
        await().atMost(Duration.ofSeconds(30)).until(() -> numbers.size() >= 8);
        context.stop();

        // positions are exclusive: revision 41 itself is not delivered again; a Long that was not understood would
        // have started the route from the start (0..49)
        assertThat(numbers).containsExactlyElementsOf(range(42, 50));
        List<Object> stored = rawOffsets("kafka-orders");
        assertThat(stored.get(0)).isEqualTo(41L);
        // what the route itself writes afterwards is the String form
        assertThat(stored.subList(1, stored.size()))
                .startsWith("42")
                .allSatisfy(offset -> assertThat(offset).isInstanceOf(String.class))
                .last()
                .isEqualTo("49");
    }

    /** Writes offsets to the topic, serialised exactly as the strategy writes what the route reports. */
    private void produce(List<Resumable> offsets) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            for (Resumable offset : offsets) {
                producer.send(new ProducerRecord<>(
                        topic,
                        offset.getOffsetKey().serialize().array(),
                        offset.getLastOffset().serialize().array()));
            }
        }
    }

    private CamelContext startRoute() throws Exception {
        return startRoute(strategy());
    }

    private CamelContext startRoute(SingleNodeKafkaResumeStrategy strategy) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("kafkaOffsets", strategy);
        String uri = "eventstore:orders-1?connectionString=" + server.connectionString();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri)
                        .routeId("kafka-orders")
                        .resumable("kafkaOffsets")
                        .process(KafkaResumeStrategyTest.this::record);
            }
        });
        contexts.add(context);
        context.start();
        return context;
    }

    private SingleNodeKafkaResumeStrategy strategy() {
        return new SingleNodeKafkaResumeStrategy(KafkaResumeStrategyConfigurationBuilder.newBuilder()
                .withBootstrapServers(kafka.bootstrapServers())
                .withTopic(topic)
                .build());
    }

    /**
     * The strategy counts itself initialised after five polls of its topic, each as long as its poll duration (1 s)
     * when there is nothing to read; shorter polls keep the restarts of this test quick.
     */
    private SingleNodeKafkaResumeStrategy quicklyPolling() {
        SingleNodeKafkaResumeStrategy strategy = strategy();
        strategy.setPollDuration(Duration.ofMillis(200));
        return strategy;
    }

    private void record(Exchange exchange) {
        numbers.add(TestEvents.number(exchange.getMessage().getBody(byte[].class)));
    }

    /** Every offset the route stored under the key, oldest first: all of them in the String form. */
    private List<Object> storedOffsets(String key) {
        List<Object> offsets = rawOffsets(key);
        assertThat(offsets).allSatisfy(offset -> assertThat(offset).isInstanceOf(String.class));
        return offsets;
    }

    /** Every offset stored under the key, oldest first, decoded as the adapter decodes them. */
    private List<Object> rawOffsets(String key) {
        Deserializable decoder = new EventStoreResumeAdapter();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<Object> offsets = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(decoder.deserializeKey(ByteBuffer.wrap(record.key())))) {
                        offsets.add(decoder.deserializeValue(ByteBuffer.wrap(record.value())));
                    }
                }
            }
        }
        return offsets;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
