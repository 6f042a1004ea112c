package dev.camel.eventstore.connectors;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * An application embedding the connectors library, run by {@link EmbeddingTest} in a JVM whose class path holds the
 * library and its non-optional dependencies only. Prints which optional classes it can load, then either runs a
 * logger connector and prints each event it delivered ({@code logger <connectionString>}), or creates an HTTP and a
 * Kafka connector and prints why each failed ({@code missing <connectionString>}).
 */
public final class EmbeddedConnector {
    /** A class of each dependency the library leaves optional or does not have. */
    static final List<String> OPTIONAL_CLASSES = List.of(
            "org.apache.camel.component.kafka.KafkaComponent",
            "org.apache.kafka.clients.producer.KafkaProducer",
            "org.apache.camel.component.http.HttpComponent",
            "org.apache.hc.client5.http.classic.HttpClient",
            "org.apache.camel.main.Main",
            "io.micrometer.core.instrument.MeterRegistry",
            "ch.qos.logback.classic.Logger",
            "groovy.lang.GroovyShell",
            "org.apache.camel.component.kamelet.KameletComponent");

    private EmbeddedConnector() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String connectionString = args[1];
        for (String name : OPTIONAL_CLASSES) {
            System.out.println((loadable(name) ? "present " : "absent ") + name);
        }
        try (CamelContext context = new DefaultCamelContext()) {
            context.getManagementStrategy().addEventNotifier(new Delivered());
            context.addRoutes(new ConnectorTemplates());
            context.start();
            if (mode.equals("logger")) {
                connector(context, ConnectorTemplates.LOGGER, connectionString)
                        .parameter("logCategory", "embedded")
                        .add();
                System.out.println("started");
                // the test stops this JVM once it saw every event
                Thread.currentThread().join();
            } else {
                failure(connector(context, ConnectorTemplates.KAFKA, connectionString)
                        .parameter("topic", "orders"));
                failure(connector(context, ConnectorTemplates.HTTP, connectionString)
                        .parameter("url", "http://localhost:1/orders"));
                failure(connector(context, ConnectorTemplates.LOGGER, connectionString)
                        .parameter("checkpointStore", "kafka")
                        .parameter("checkpointKafkaBootstrapServers", "localhost:9092"));
            }
        }
    }

    private static TemplatedRouteBuilder connector(CamelContext context, String template, String connectionString) {
        return TemplatedRouteBuilder.builder(context, template)
                .routeId(template.replace("eventstore-", "embedded-"))
                .parameter("connectionString", connectionString)
                .parameter("initialPosition", "earliest");
    }

    private static void failure(TemplatedRouteBuilder connector) {
        try {
            connector.add();
            System.out.println("failed to fail");
        } catch (RuntimeException e) {
            System.out.println("refused: " + ConnectorMessages.rootMessage(e));
        }
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, EmbeddedConnector.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Prints the data of each event a connector delivered, and each failure. */
    private static final class Delivered extends EventNotifierSupport {
        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
                System.out.println("failed " + failed.getExchange().getException());
            } else if (event instanceof CamelEvent.ExchangeCompletedEvent completed
                    && completed.getExchange().getFromRouteId() != null) {
                System.out.println(
                        "delivered " + completed.getExchange().getMessage().getBody(String.class));
            }
        }
    }
}
