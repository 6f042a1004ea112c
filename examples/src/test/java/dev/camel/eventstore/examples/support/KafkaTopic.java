package dev.camel.eventstore.examples.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a Kafka topic from its beginning, every partition, without a consumer group. */
public final class KafkaTopic {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private KafkaTopic() {}

    /** Waits until the topic holds at least {@code count} records, and returns every record it holds then. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String bootstrapServers, String topic, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            await().atMost(WAIT).until(() -> {
                Map<TopicPartition, Long> end = reader.endOffsets(partitions);
                reader.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= count
                        && end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
            });
        }
        return records;
    }
}
