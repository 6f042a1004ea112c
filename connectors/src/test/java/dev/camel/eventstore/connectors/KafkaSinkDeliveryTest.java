package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.text;
import static dev.camel.eventstore.connectors.Connectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What arrives in the topic from the {@code eventstore-kafka-sink} template: every event, in order per key, with
 * its bytes (binary data too) and headers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaSinkDeliveryTest extends KafkaConnectorTest {
    // ---- what arrives ----

    @Test
    void eventsOfSeveralStreamsArriveCompleteInOrderPerKeyWithTheirBytesAndHeaders() throws Exception {
        String topic = newTopic("orders-", 3);
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
                client().appendToStream(stream, AppendToStreamOptions.get(), events.iterator())
                        .get(10, TimeUnit.SECONDS);
            } else {
                server().append(stream, events);
            }
        }
        // binary data, here valid UTF-8 (binaryDataArrivesByteForByte has data that is not)
        UUID binaryId = UUID.randomUUID();
        byte[] binary = utf8("plain text, not JSON: \u00fc\u20ac");
        server().append(
                        "ks1-blob-1",
                        List.of(EventDataBuilder.binary(binaryId, "BlobStored", binary)
                                .build()));
        written.put(binaryId, new Written("ks1-blob-1", 0, "BlobStored", binary, "bytes"));
        Instant after = Instant.now().plusMillis(1);
        Map<UUID, Long> commitPositions = commitPositions();

        CamelContext context = connector(
                "ks1", "ks1-", topic, "keyExtraction", "stream", "defaultHeaders", "source=eventstore, env = test");
        awaitProcessed(context, "ks1", Connectors.positionOf(client(), "ks1-blob-1", 0));
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

    record Written(String stream, long revision, String type, byte[] data, String schemaType) {}

    /** 0 to count - 1. */
    static List<Long> revisions(int count) {
        return IntStream.range(0, count).mapToObj(i -> (long) i).toList();
    }

    @Test
    void binaryDataArrivesByteForByte() throws Exception {
        String topic = newTopic("binary-", 1);
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, 127, (byte) 0x80};
        server().append(
                        "ks5-blob-1",
                        List.of(EventDataBuilder.binary("BlobStored", binary).build()));
        CamelContext context = connector("ks5", "ks5-", topic);
        awaitProcessed(context, "ks5", Connectors.positionOf(client(), "ks5-blob-1", 0));

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).isEqualTo(binary);
        assertThat(header(records.get(0), "esdb-record-schema-type")).isEqualTo("bytes");
    }
}
