package dev.camel.eventstore.examples.demo;

import dev.camel.eventstore.client.Clients;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.kafka.KafkaTestBroker;
import dev.camel.eventstore.testkit.kafka.KafkaTestBrokerException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The services the demo's connectors read from and deliver to: the ones given on the command line, and for the
 * others local stand-ins (the testkit EventStoreDB server and Kafka broker, keeping their data in the data
 * directory, and an HTTP receiver).
 */
final class DemoServices implements AutoCloseable {
    static final int ESDB_PORT = 2113;
    static final String TOPIC = "demo-orders";
    static final int KAFKA_PARTITIONS = 3;

    private EventStoreTestServer server;
    private KafkaTestBroker broker;
    private DemoHttpReceiver receiver;
    private String esdb;
    private String kafka;
    private String httpUrl;

    private DemoServices() {}

    static DemoServices start(DemoOptions options, PrintStream out) throws IOException {
        DemoServices services = new DemoServices();
        try {
            services.startEventStore(options, out);
            services.startKafka(options, out);
            services.startHttp(options, out);
        } catch (IOException | RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    private void startEventStore(DemoOptions options, PrintStream out) {
        if (options.esdb() != null) {
            esdb = options.esdb();
            out.println("  EventStoreDB  " + Clients.redact(esdb) + "  (given)");
            return;
        }
        Path data = options.dataDirectory().resolve("eventstore");
        try {
            server = EventStoreTestServer.builder()
                    .port(ESDB_PORT)
                    .dataDirectory(data)
                    .build()
                    .start();
        } catch (UncheckedIOException portInUse) {
            // another server on 2113 (perhaps a real one): the demo's own takes any free port instead
            server = EventStoreTestServer.builder().dataDirectory(data).build().start();
        }
        esdb = server.connectionString();
        out.println(
                "  EventStoreDB  " + esdb + "  (testkit server, " + server.eventCount() + " events in " + data + ")");
    }

    private void startKafka(DemoOptions options, PrintStream out) {
        if (options.kafka() != null) {
            kafka = options.kafka();
            out.println("  Kafka         " + kafka + "  (given), topic " + TOPIC);
            return;
        }
        Path data = options.dataDirectory().resolve("kafka");
        broker = KafkaTestBroker.builder().logDir(data).build().start();
        kafka = broker.bootstrapServers();
        try {
            broker.createTopic(TOPIC, KAFKA_PARTITIONS);
        } catch (KafkaTestBrokerException e) {
            // created by an earlier run
            if (!(e.getCause() != null && e.getCause().getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        out.println("  Kafka         " + kafka + "  (in-process broker, data in " + data + "), topic " + TOPIC);
    }

    private void startHttp(DemoOptions options, PrintStream out) throws IOException {
        if (options.httpUrl() != null) {
            httpUrl = options.httpUrl();
            out.println("  HTTP          " + Clients.redact(httpUrl) + "  (given)");
            return;
        }
        receiver = DemoHttpReceiver.start();
        httpUrl = receiver.url();
        out.println("  HTTP          " + httpUrl + "  (local receiver)");
    }

    String esdb() {
        return esdb;
    }

    String kafka() {
        return kafka;
    }

    String httpUrl() {
        return httpUrl;
    }

    /** The local HTTP receiver, or {@code null} when a URL was given. */
    DemoHttpReceiver receiver() {
        return receiver;
    }

    /** Stops what the demo started, the HTTP receiver first and the event store last. */
    @Override
    public void close() {
        if (receiver != null) {
            receiver.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
