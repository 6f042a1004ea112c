package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.fromStart;
import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.numbered;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static dev.camel.eventstore.connectors.Connectors.text;
import static dev.camel.eventstore.connectors.Connectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventDataBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The record key each keyExtraction mode gives, and Kafka options given in EventStoreDB's spellings reaching Kafka
 * in its own.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaSinkKeyAndOptionsTest extends KafkaConnectorTest {
    @Test
    void eachKeyExtractionModeGivesItsKey() throws Exception {
        server().append(
                        "ks2-tenant1-order-42",
                        List.of(EventDataBuilder.json("OrderPlaced", Connectors.json(1))
                                .metadataAsBytes(utf8("{\"region\":\"eu\"}"))
                                .build()));
        server().append(
                        "ks2-tenant2-invoice-7",
                        List.of(EventDataBuilder.json("InvoiceSent", Connectors.json(2))
                                .build()));
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
            // ConnectorSourceTest.twoConnectorsWithTheSameSourceRunInOneContext)
            CamelContext context = closeAfterTest(Connectors.context());
            String topic = newTopic("keys-" + mode.getKey() + "-", 1);
            Map<String, String> parameters = fromStart(
                    server().connectionString(),
                    "ks2-",
                    "topic",
                    topic,
                    "bootstrapServers",
                    kafka().bootstrapServers());
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
        String topic = newTopic("spellings-", 2);
        server().append("ks6-order-1", numbered("OrderPlaced", 0, 40));
        server().append("ks6-order-2", numbered("OrderPlaced", 40, 40));
        server().append("ks6-order-1", numbered("OrderPlaced", 80, 40));
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
        awaitProcessed(context, "ks6", Connectors.positionOf(client(), "ks6-order-1", 79));

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
}
