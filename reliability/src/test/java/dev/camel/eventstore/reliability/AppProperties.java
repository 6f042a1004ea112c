package dev.camel.eventstore.reliability;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import java.util.ArrayList;
import java.util.List;

/**
 * The properties file the connectors application ({@link ConnectorApp}) is started with: its management port, any
 * other line as it stands, and connectors (route templates) that read from the earliest event.
 */
final class AppProperties {
    private final List<String> lines = new ArrayList<>();

    AppProperties(int managementPort) {
        lines.add("camel.management.port=" + managementPort);
    }

    /** Without a management port: for {@link Replicas}, which gives each replica its own. */
    AppProperties() {}

    /** A line as it stands, e.g. a component setting. */
    AppProperties line(String line) {
        lines.add(line);
        return this;
    }

    /** Connector {@code id} from {@code template}, reading from the earliest event; settings as {@code name=value}. */
    AppProperties connector(String id, String template, String connectionString, String... settings) {
        String prefix = "camel.routeTemplate[" + id + "].";
        lines.add(prefix + "templateId=" + template);
        lines.add(prefix + "connectionString=" + connectionString);
        lines.add(prefix + "initialPosition=earliest");
        for (String setting : settings) {
            lines.add(prefix + setting);
        }
        return this;
    }

    /**
     * Kafka connector {@code id} on the {@code order-*} streams, keyed by stream, to {@code topic}; more settings as
     * {@code name=value}.
     */
    AppProperties kafkaConnector(
            String id, EventStoreTestServer server, KafkaTestBroker kafka, String topic, String... settings) {
        List<String> all = new ArrayList<>(List.of(
                "streamNamePrefixes=order-",
                "bootstrapServers=" + kafka.bootstrapServers(),
                "topic=" + topic,
                "keyExtraction=stream"));
        all.addAll(List.of(settings));
        return connector(id, "eventstore-kafka-sink", server.connectionString(), all.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return String.join("\n", lines) + "\n";
    }
}
