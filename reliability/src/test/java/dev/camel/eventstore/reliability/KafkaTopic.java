package dev.camel.eventstore.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what a Kafka topic holds: its size, and every record partition by partition in offset order. Records
 * are read once and kept, so reading again only fetches what arrived since.
 */
final class KafkaTopic implements AutoCloseable {
    /** One record: its partition and offset, and the event it carries (stream and revision from the headers). */
    record Delivered(int partition, long offset, String stream, long revision) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<Delivered> read = new ArrayList<>();

    KafkaTopic(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        this.partitions = infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** End offset of each partition. */
    Map<Integer, Long> endOffsets() {
        Map<Integer, Long> ends = new HashMap<>();
        consumer.endOffsets(partitions, Duration.ofSeconds(30))
                .forEach((partition, offset) -> ends.put(partition.partition(), offset));
        return ends;
    }

    /** The number of records in the topic. */
    long size() {
        return endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every record so far, in the order read (per partition, in offset order). */
    List<Delivered> readAll() {
        long total = size();
        while (read.size() < total) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                read.add(new Delivered(
                        record.partition(),
                        record.offset(),
                        header(record, "esdb-record-stream-id"),
                        Long.parseLong(header(record, "esdb-record-stream-revision"))));
            }
        }
        return List.copyOf(read);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new AssertionError("record " + record.partition() + "/" + record.offset() + " has no " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
