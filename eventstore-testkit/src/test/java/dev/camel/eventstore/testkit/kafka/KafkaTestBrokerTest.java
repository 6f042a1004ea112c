package dev.camel.eventstore.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaTestBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Shared by the tests that need a running broker but do not stop it; auto-created topics get 2 partitions. */
    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() {
        long start = System.nanoTime();
        broker = KafkaTestBroker.builder().numPartitions(2).build().start();
        System.out.printf("First broker start in this JVM: %d ms%n", millisSince(start));
    }

    @AfterAll
    static void closeBroker() {
        if (broker != null) {
            Path logDir = broker.logDir();
            broker.close();
            assertThat(broker.isRunning()).isFalse();
            assertThat(logDir).as("temporary log directory is deleted on close").doesNotExist();
        }
    }

    @Test
    void producesAndConsumesThousandRecordsThroughConsumerGroup() throws Exception {
        String topic = "thousand-records";
        int count = 1_000;

        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(broker)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, key(i), "value-" + i)));
            }
            for (Future<RecordMetadata> send : sends) {
                written.add(send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }
        assertThat(written).extracting(RecordMetadata::partition).containsOnly(0, 1);

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(broker, "thousand-records-group")) {
            consumer.subscribe(List.of(topic));
            await().atMost(TIMEOUT)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                        return received.size() >= count;
                    });
            consumer.commitSync();

            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
            assertThat(committed.values().stream()
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum())
                    .as("offsets committed by the group")
                    .isEqualTo(count);
        }

        assertThat(received).hasSize(count);
        assertThat(received).allSatisfy(record -> {
            int i = Integer.parseInt(record.value().substring("value-".length()));
            assertThat(record.key()).isEqualTo(key(i));
            assertThat(record.partition()).isEqualTo(written.get(i).partition());
            assertThat(record.offset()).isEqualTo(written.get(i).offset());
        });
        Map<Integer, List<ConsumerRecord<String, String>>> byPartition =
                received.stream().collect(Collectors.groupingBy(ConsumerRecord::partition));
        assertThat(byPartition).containsOnlyKeys(0, 1);
        byPartition.forEach((partition, records) -> {
            List<Integer> sequence = records.stream()
                    .map(record -> Integer.parseInt(record.value().substring("value-".length())))
                    .toList();
            assertThat(sequence)
                    .as("production order in partition %d", partition)
                    .isSorted();
            assertThat(records)
                    .extracting(ConsumerRecord::offset)
                    .as("offsets in partition %d", partition)
                    .containsExactlyElementsOf(IntStream.range(0, records.size())
                            .mapToObj(Long::valueOf)
                            .toList());
        });
        Map<String, Integer> partitionOfKey = new HashMap<>();
        received.forEach(record -> assertThat(partitionOfKey.merge(record.key(), record.partition(), (a, b) -> a))
                .as("partition of key %s", record.key())
                .isEqualTo(record.partition()));
    }

    /** Transactions need the transaction state topic, which a single node can only host with one replica. */
    @Test
    void commitsTransactions() throws Exception {
        String topic = "transactional";
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka-test-broker-tx");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String value : values("aborted-", 5)) {
                producer.send(new ProducerRecord<>(topic, "key", value));
            }
            producer.abortTransaction();
            producer.beginTransaction();
            for (String value : values("committed-", 5)) {
                producer.send(new ProducerRecord<>(topic, "key", value));
            }
            producer.commitTransaction();
        }
        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = consumer(broker, "transactional-group", consumerProperties)) {
            consumer.subscribe(List.of(topic));
            assertThat(pollValues(consumer, 5)).isEqualTo(values("committed-", 5));
        }
    }

    @Test
    void restartsOnTheSamePortWithTheSameData(@TempDir Path logDir) throws Exception {
        String topic = "restart";
        KafkaTestBroker restartable =
                KafkaTestBroker.builder().logDir(logDir).build().start();
        int port = restartable.port();
        try (restartable;
                KafkaProducer<String, String> producer = producer(restartable);
                KafkaConsumer<String, String> consumer = consumer(restartable, "restart-group")) {
            send(producer, topic, "before-", 100);
            consumer.subscribe(List.of(topic));
            assertThat(pollValues(consumer, 100)).isEqualTo(values("before-", 100));
            consumer.commitSync();

            long stop = System.nanoTime();
            restartable.stop();
            System.out.printf("Stop in the same JVM: %d ms%n", millisSince(stop));
            assertThat(restartable.isRunning()).isFalse();
            assertThat(logDir.resolve(".kafka_cleanshutdown"))
                    .as("clean shutdown marker")
                    .exists();

            long start = System.nanoTime();
            restartable.start();
            System.out.printf("Restart (start after stop) in the same JVM: %d ms%n", millisSince(start));
            assertThat(restartable.port()).isEqualTo(port);
            assertThat(restartable.bootstrapServers()).isEqualTo("127.0.0.1:" + port);

            // The clients created before the stop reconnect to the same address and carry on.
            send(producer, topic, "after-", 100);
            assertThat(pollValues(consumer, 100))
                    .as("the group resumes at its committed offset")
                    .isEqualTo(values("after-", 100));
            consumer.commitSync();

            try (KafkaConsumer<String, String> fresh = consumer(restartable, "restart-fresh-group")) {
                fresh.subscribe(List.of(topic));
                assertThat(pollValues(fresh, 200)).isEqualTo(concat(values("before-", 100), values("after-", 100)));
            }
        }
        assertThat(restartable.isRunning()).isFalse();
        assertThat(logDir.resolve("meta.properties"))
                .as("a given log directory is kept")
                .exists();

        // A new broker (on new ports) on the kept directory skips formatting and serves the same data.
        try (KafkaTestBroker reopened =
                        KafkaTestBroker.builder().logDir(logDir).build().start();
                KafkaConsumer<String, String> consumer = consumer(reopened, "reopened-group")) {
            consumer.subscribe(List.of(topic));
            assertThat(pollValues(consumer, 200)).isEqualTo(concat(values("before-", 100), values("after-", 100)));
        }
    }

    @Test
    void createsTopicWithThreePartitions() throws Exception {
        broker.createTopic("three-partitions", 3);

        try (Admin admin = admin(broker)) {
            TopicDescription description = admin.describeTopics(List.of("three-partitions"))
                    .allTopicNames()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .get("three-partitions");
            assertThat(description.partitions()).hasSize(3).allSatisfy(partition -> {
                assertThat(partition.leader().id()).isEqualTo(1);
                assertThat(partition.replicas()).hasSize(1);
            });
            assertThat(description.partitions())
                    .extracting(TopicPartitionInfo::partition)
                    .containsExactly(0, 1, 2);
        }
        try (KafkaProducer<String, String> producer = producer(broker)) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("three-partitions", 2, "key", "value"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(metadata.partition()).isEqualTo(2);
            assertThat(metadata.offset()).isZero();
        }

        assertThatThrownBy(() -> broker.createTopic("three-partitions", 3))
                .isInstanceOf(KafkaTestBrokerException.class)
                .hasMessageContaining("'three-partitions' already exists");
    }

    @Test
    void secondBrokerOnAUsedPortFailsWithAClearMessage() {
        Path secondLogDir;
        try (KafkaTestBroker second =
                KafkaTestBroker.builder().port(broker.port()).build()) {
            secondLogDir = second.logDir();
            assertThatThrownBy(second::start)
                    .isInstanceOf(KafkaTestBrokerException.class)
                    .hasMessageContaining("port 127.0.0.1:" + broker.port() + " is already in use")
                    .hasCauseInstanceOf(BindException.class);
            assertThat(second.isRunning()).isFalse();
        }
        assertThat(secondLogDir).doesNotExist();
        assertThat(broker.isRunning()).isTrue();
    }

    /** A port taken between the check and Kafka's own bind: Kafka's failure is reported with its cause. */
    @Test
    void reportsKafkaStartFailureWithItsCause() throws Exception {
        int controllerPort;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            controllerPort = free.getLocalPort();
        }
        Path failingLogDir;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                KafkaTestBroker failing = KafkaTestBroker.builder()
                        .controllerPort(controllerPort)
                        // Kafka binds the taken port, not the free one the broker checks.
                        .serverProperty(
                                "listeners",
                                "PLAINTEXT://127.0.0.1:" + taken.getLocalPort() + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort)
                        .serverProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + taken.getLocalPort())
                        .build()) {
            failingLogDir = failing.logDir();
            assertThatThrownBy(failing::start)
                    .isInstanceOf(KafkaTestBrokerException.class)
                    .hasMessageStartingWith("Kafka test broker failed to start on " + failing.bootstrapServers())
                    .hasMessageContaining("Socket server failed to bind to 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use")
                    .hasRootCauseInstanceOf(BindException.class);
            assertThat(failing.isRunning()).isFalse();
        }
        assertThat(failingLogDir).doesNotExist();
        // The failed broker released its controller port again.
        try (ServerSocket again = new ServerSocket(controllerPort, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void rejectsMisuse() {
        assertThatThrownBy(() -> KafkaTestBroker.builder().port(65_536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> KafkaTestBroker.builder().numPartitions(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(broker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");

        KafkaTestBroker neverStarted = KafkaTestBroker.builder().build();
        assertThat(neverStarted.bootstrapServers()).isEqualTo("127.0.0.1:" + neverStarted.port());
        assertThatThrownBy(() -> neverStarted.createTopic("no-broker", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        neverStarted.close();
        assertThat(neverStarted.logDir()).doesNotExist();
        assertThatThrownBy(neverStarted::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static String key(int i) {
        return "key-" + (i % 10);
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String prefix, int count)
            throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (String value : values(prefix, count)) {
            sends.add(producer.send(new ProducerRecord<>(topic, "key", value)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        await().atMost(TIMEOUT)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                    return values.size() >= count;
                });
        return values;
    }

    private static KafkaProducer<String, String> producer(KafkaTestBroker kafka) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaTestBroker kafka, String groupId) {
        return consumer(kafka, groupId, new Properties());
    }

    private static KafkaConsumer<String, String> consumer(
            KafkaTestBroker kafka, String groupId, Properties extraProperties) {
        Properties properties = new Properties();
        properties.putAll(extraProperties);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin(KafkaTestBroker kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
