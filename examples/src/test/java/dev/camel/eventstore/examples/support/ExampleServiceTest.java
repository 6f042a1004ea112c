package dev.camel.eventstore.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which services an example uses, and what it prints about them. */
class ExampleServiceTest {
    @Test
    void aGivenEventStoreIsUsedAsGivenAndItsPasswordNeverPrinted() throws Exception {
        String given = "esdb://admin:s3cret-pw@db.example.com:2113?tls=false";
        try (ExampleService service = ExampleService.eventStore(Map.of("ESDB_CONNECTION_STRING", given))) {
            assertThat(service.inProcess()).isFalse();
            assertThat(service.address()).isEqualTo(given);
            assertThat(service.describe())
                    .isEqualTo("esdb://***@db.example.com:2113?tls=false (from ESDB_CONNECTION_STRING)");
        }
    }

    @Test
    void withoutTheVariableOrWithAnEmptyOneAServerStartsInProcess() throws Exception {
        try (ExampleService service = ExampleService.eventStore(Map.of("ESDB_CONNECTION_STRING", " "))) {
            assertThat(service.inProcess()).isTrue();
            assertThat(service.address()).startsWith("esdb://127.0.0.1:").endsWith("?tls=false");
            assertThat(service.describe())
                    .isEqualTo("in-process testkit server " + service.address()
                            + " (set ESDB_CONNECTION_STRING to use yours)");
            // the server answers: the sample orders go in
            assertThat(SampleOrders.writeTo(service)).isEqualTo(", 12 sample events written");
        }
    }

    @Test
    void givenKafkaBootstrapServersAreUsedAsGiven() throws Exception {
        try (ExampleService service = ExampleService.kafka(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092"))) {
            assertThat(service.inProcess()).isFalse();
            assertThat(service.address()).isEqualTo("kafka-1:9092");
            assertThat(service.describe()).isEqualTo("kafka-1:9092 (from KAFKA_BOOTSTRAP_SERVERS)");
        }
    }
}
