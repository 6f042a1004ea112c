package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every record of a Kafka topic, partition by partition in offset order, read without a consumer group. Records are
 * read once and kept, so reading again only fetches what arrived since. {@link #stored} keeps each record whole;
 * {@link #delivered} keeps only which event it carries, for the scenarios that read hundreds of thousands of records
 * and check only which events arrived in which order.
 *
 * @param <T> what is kept of each record
 */
final class KafkaRecords<T extends KafkaRecords.Event> implements AutoCloseable {
    /** What every kept record tells: where it is in the topic and which event it carries. */
    sealed interface Event permits Stored, Delivered {
        int partition();

        long offset();

        String stream();

        long revision();

        /** The event as {@code stream@revision}. */
        default String event() {
            return stream() + "@" + revision();
        }
    }

    /** One record as stored: key and value bytes, headers, and the producer's timestamp. */
    record Stored(int partition, long offset, long timestamp, byte[] key, byte[] value, Map<String, byte[]> headers)
            implements Event {
        /** A header as UTF-8 text, or {@code null}. */
        String header(String name) {
            byte[] value = headers.get(name);
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public String stream() {
            return header("esdb-record-stream-id");
        }

        @Override
        public long revision() {
            return Long.parseLong(header("esdb-record-stream-revision"));
        }

        long logPosition() {
            return Long.parseLong(header("esdb-record-log-position"));
        }
    }

    /** One record: its partition and offset, and the event it carries (stream and revision from the headers). */
    record Delivered(int partition, long offset, String stream, long revision) implements Event {}

    /**
     * What the topic holds by event: the distinct events ({@code stream@revision}) and each stream's highest
     * revision.
     */
    record Events(Set<String> distinct, Map<String, Long> highestRevisions) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Function<ConsumerRecord<byte[], byte[]>, T> keep;
    private final List<T> read = new ArrayList<>();

    private KafkaRecords(String bootstrapServers, String topic, Function<ConsumerRecord<byte[], byte[]>, T> keep) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        this.keep = keep;
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Keeps every record whole. */
    static KafkaRecords<Stored> stored(String bootstrapServers, String topic) {
        return new KafkaRecords<>(bootstrapServers, topic, record -> {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value());
            }
            return new Stored(
                    record.partition(), record.offset(), record.timestamp(), record.key(), record.value(), headers);
        });
    }

    /** Keeps only the event each record carries; a record without the event's headers fails the test. */
    static KafkaRecords<Delivered> delivered(String bootstrapServers, String topic) {
        return new KafkaRecords<>(
                bootstrapServers,
                topic,
                record -> new Delivered(
                        record.partition(),
                        record.offset(),
                        requiredHeader(record, "esdb-record-stream-id"),
                        Long.parseLong(requiredHeader(record, "esdb-record-stream-revision"))));
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
    List<T> readAll() {
        long total = size();
        while (read.size() < total) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                read.add(keep.apply(record));
            }
        }
        return List.copyOf(read);
    }

    /** The number of distinct events in the topic so far: duplicates counted once. */
    long distinctEvents() {
        return readAll().stream().map(Event::event).distinct().count();
    }

    /**
     * Asserts that each stream's records are in one partition and never jump ahead of the stream: a stream goes
     * back only to repeat what it had sent (after a crash, or an attempt the connector made again); returns what
     * the records hold.
     */
    static Events assertEachStreamInOnePartitionInOrder(List<? extends Event> records) {
        Map<String, Long> highest = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> partitionOf = new HashMap<>();
        for (Event record : records) {
            long high = highest.getOrDefault(record.stream(), -1L);
            assertThat(record.revision())
                    .as("next revision of " + record.stream())
                    .isLessThanOrEqualTo(high + 1);
            highest.put(record.stream(), Math.max(high, record.revision()));
            seen.add(record.event());
            assertThat(partitionOf.computeIfAbsent(record.stream(), s -> record.partition()))
                    .as("partition of " + record.stream())
                    .isEqualTo(record.partition());
        }
        return new Events(seen, highest);
    }

    private static String requiredHeader(ConsumerRecord<byte[], byte[]> record, String name) {
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
