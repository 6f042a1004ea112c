package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Baseline B: the plain Java program a team would write instead of the Kafka connector, with the same guarantees.
 * It subscribes to {@code $all} (system events left out on the server, as the connector does), sends each event
 * with KafkaProducer (acks=all, idempotent, key = stream, so each stream keeps its order in its partition), keeps at
 * most {@code maxInFlight} sends unacknowledged (as the connector's maxInFlight), and writes a checkpoint to
 * EventStoreDB every 1,000 events acknowledged contiguously (at least once: it never passes an unacknowledged
 * event). Its checkpoint writes do not hold up the sends. Plain B sends key and value only; with {@code withHeaders}
 * it also sends the connector's record headers.
 */
final class BaselineKafka {
    static final int CHECKPOINT_EVERY = 1000;

    private BaselineKafka() {}

    /**
     * Sends the first {@code events} events of {@code $all}; returns events/s, timed from creating the clients.
     *
     * @param connectorBatches whether the producer batches as the connector's does ({@code producerBatchSize});
     *     else with KafkaProducer's default batch size, as a program written with the defaults would
     */
    static double run(
            String connectionString,
            String bootstrapServers,
            String topic,
            long events,
            int maxInFlight,
            String checkpointStream,
            boolean withHeaders,
            boolean connectorBatches)
            throws Exception {
        long start = System.nanoTime();
        EventStoreDBClient client = Harness.client(connectionString);
        Properties properties = producerProperties(bootstrapServers);
        if (connectorBatches) {
            properties.put(
                    ProducerConfig.BATCH_SIZE_CONFIG,
                    ConnectorRuns.defaultOf(ConnectorTemplates.KAFKA_PARAMETERS, "producerBatchSize"));
        }
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties);
        try {
            CheckpointWriter checkpoints = new CheckpointWriter(client, checkpointStream);
            AckWindow window = new AckWindow(CHECKPOINT_EVERY, checkpoints);
            Semaphore inFlight = new Semaphore(maxInFlight);
            long end = BaselineSubscription.deliver(
                    client,
                    window,
                    (n, event, failure) -> {
                        inFlight.acquireUninterruptibly();
                        window.sent(n, event.getPosition());
                        ProducerRecord<String, byte[]> record =
                                new ProducerRecord<>(topic, event.getStreamId(), event.getEventData());
                        if (withHeaders) {
                            addConnectorHeaders(record, event);
                        }
                        producer.send(record, (metadata, error) -> {
                            if (error != null) {
                                // a plain program stops here; the checkpoint stays before this event
                                failure.accept(error);
                                return;
                            }
                            window.acked(n);
                            inFlight.release();
                        });
                    },
                    events,
                    Duration.ofMinutes(10),
                    "baseline B",
                    "a send failed");
            return Harness.rate(events, start, end);
        } finally {
            producer.close(Duration.ofSeconds(30));
            client.shutdown();
        }
    }

    /**
     * The record headers the Kafka connector sends (the esdb-* headers and Content-Type), for the variant that tells
     * what the headers cost apart from Camel.
     */
    private static void addConnectorHeaders(ProducerRecord<String, byte[]> record, RecordedEvent event) {
        record.headers()
                .add(header("esdb-connector-id", "baseline"))
                .add(header("esdb-record-id", event.getEventId().toString()))
                .add(header("esdb-record-timestamp", event.getCreated().toString()))
                .add(header("esdb-record-stream-id", event.getStreamId()))
                .add(header("esdb-record-stream-revision", Long.toString(event.getRevision())))
                .add(header(
                        "esdb-record-log-position",
                        Long.toString(event.getPosition().getCommitUnsigned())))
                .add(header("esdb-record-schema-subject", event.getEventType()))
                .add(header("esdb-record-schema-type", "json"))
                .add(header("Content-Type", event.getContentType()));
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static Properties producerProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // the connector's defaults (no compression), apart from the batch size (see run)
        p.put(
                ProducerConfig.LINGER_MS_CONFIG,
                ConnectorRuns.defaultOf(ConnectorTemplates.KAFKA_PARAMETERS, "lingerMs"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
