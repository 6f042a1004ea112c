package dev.camel.eventstore.examples.javadsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.examples.support.EventStoreReader;
import dev.camel.eventstore.examples.support.KafkaTopic;
import dev.camel.eventstore.examples.support.Positions;
import dev.camel.eventstore.examples.support.RunningMain;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.examples.support.SampleOrders.SampleEvent;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java DSL example's application, as its main runs it, against the testkit server and a real Kafka broker. */
class JavaDslExampleTest {
    private static EventStoreTestServer server;
    private static KafkaTestBroker kafka;

    @BeforeAll
    static void startServices() {
        server = EventStoreTestServer.startDefault();
        kafka = KafkaTestBroker.builder().build().start();
        // several partitions, as a real topic has: the key must keep each order's events together and in order
        kafka.createTopic("orders", 3);
    }

    @AfterAll
    static void stopServices() {
        kafka.close();
        server.close();
    }

    @Test
    void sendsTheOrderEventsToKafkaKeyedByStreamAndResumesAfterARestart() throws Exception {
        SampleOrders.write(server.connectionString(), SampleOrders.EVENTS);

        List<ConsumerRecord<String, String>> first;
        try (RunningMain app = RunningMain.start(create())) {
            first = KafkaTopic.awaitRecords(kafka.bootstrapServers(), "orders", 11);
        }
        // the eleven events of the order streams, not the customer's; each order's events in one partition, in order
        assertThat(typesByKey(first))
                .containsOnly(
                        Map.entry(
                                "order-1001",
                                List.of("OrderPlaced", "PaymentAuthorized", "OrderShipped", "OrderDelivered")),
                        Map.entry(
                                "order-1002",
                                List.of("OrderPlaced", "FraudCheckCompleted", "PaymentDeclined", "OrderCancelled")),
                        Map.entry("order-1003", List.of("OrderPlaced", "PaymentAuthorized", "OrderShipped")));
        assertThat(first.stream()
                        .collect(Collectors.groupingBy(
                                ConsumerRecord::key,
                                Collectors.mapping(ConsumerRecord::partition, Collectors.toSet()))))
                .allSatisfy((key, partitions) -> assertThat(partitions).hasSize(1));
        // the value is the event's data as it was written
        assertThat(first.get(0).value()).isEqualTo(SampleOrders.EVENTS.get(0).data());
        try (EventStoreReader reader = new EventStoreReader(server.connectionString())) {
            // a graceful stop stores the position of the last event it processed
            assertThat(Positions.atOrAfter(reader.stored("orders-to-kafka"), reader.positionOfLast("order-1001")))
                    .isTrue();
        }

        // written while the application is stopped: after the restart, only this one is sent
        SampleEvent delivered = new SampleEvent(
                "order-1003", "OrderDelivered", "{\"orderId\":\"1003\",\"signedBy\":\"C. Martin\"}", "{}");
        SampleOrders.write(server.connectionString(), List.of(delivered));
        List<ConsumerRecord<String, String>> records;
        try (RunningMain app = RunningMain.start(create())) {
            records = KafkaTopic.awaitRecords(kafka.bootstrapServers(), "orders", 12);
        }
        assertThat(records).hasSize(12);
        assertThat(typesByKey(records).get("order-1003"))
                .containsExactly("OrderPlaced", "PaymentAuthorized", "OrderShipped", "OrderDelivered");
    }

    private static org.apache.camel.main.Main create() {
        return JavaDslExample.create(server.connectionString(), kafka.bootstrapServers());
    }

    /** The event-type header of each key's records, in offset order. */
    private static Map<String, List<String>> typesByKey(List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        LinkedHashMap::new,
                        Collectors.mapping(
                                r -> new String(
                                        r.headers().lastHeader("event-type").value()),
                                Collectors.toList())));
    }
}
