package dev.camel.eventstore.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every record of a Kafka topic as it was written: key and value bytes, headers, and the producer's timestamp (when
 * the connector handed the record to Kafka), partition by partition in offset order. Records are read once and
 * kept, so reading again only fetches what arrived since.
 */
final class KafkaRecords implements AutoCloseable {
    /** One record as stored. */
    record Stored(int partition, long offset, long timestamp, byte[] key, byte[] value, Map<String, byte[]> headers) {
        /** A header as UTF-8 text, or {@code null}. */
        String header(String name) {
            byte[] value = headers.get(name);
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        String stream() {
            return header("esdb-record-stream-id");
        }

        long revision() {
            return Long.parseLong(header("esdb-record-stream-revision"));
        }

        long logPosition() {
            return Long.parseLong(header("esdb-record-log-position"));
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<Stored> read = new ArrayList<>();

    KafkaRecords(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The number of records in the topic. */
    long size() {
        return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Every record so far. */
    List<Stored> readAll() {
        long total = size();
        while (read.size() < total) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                Map<String, byte[]> headers = new LinkedHashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), header.value());
                }
                read.add(new Stored(
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value(),
                        headers));
            }
        }
        return List.copyOf(read);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
