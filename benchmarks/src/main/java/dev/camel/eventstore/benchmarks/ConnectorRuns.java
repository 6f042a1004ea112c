package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** How the benchmarks run the connectors: in this JVM from their route templates, or in a child JVM from a file. */
final class Connectors {
    private Connectors() {}

    /** A started Camel context holding the connector route templates. */
    static CamelContext context() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        context.start();
        return context;
    }

    /**
     * Adds a connector route from a template, reading {@code $all} from the earliest event, waits until it has
     * delivered {@code events}, and removes it again.
     *
     * @param settings the template's parameters besides the connection string and the initial position
     * @return events/s, timed from adding the route
     */
    static double rate(
            CamelContext context,
            String templateId,
            String routeId,
            String connectionString,
            Map<String, String> settings,
            long events,
            Duration timeout)
            throws Exception {
        long start = System.nanoTime();
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, templateId)
                .routeId(routeId)
                .parameter("connectionString", connectionString)
                .parameter("initialPosition", "earliest");
        settings.forEach(builder::parameter);
        builder.add();
        long end = Harness.awaitCount(
                () -> Harness.consumer(context, routeId).getDeliveredCount(), events, timeout, routeId);
        Harness.removeRoute(context, routeId);
        return Harness.rate(events, start, end);
    }

    /**
     * Writes the properties file of a connectors application ({@code -pl file:...}) running one connector, {@code id},
     * from the earliest event, with its JMX port on a free port.
     */
    static void writeProperties(
            Path file, String id, String templateId, String connectionString, Map<String, String> settings)
            throws Exception {
        String prefix = "camel.routeTemplate[" + id + "].";
        List<String> lines = new ArrayList<>();
        lines.add("camel.management.port=" + Harness.freePort());
        lines.add(prefix + "templateId=" + templateId);
        lines.add(prefix + "connectionString=" + connectionString);
        lines.add(prefix + "initialPosition=earliest");
        settings.forEach((name, value) -> lines.add(prefix + name + "=" + value));
        lines.add("");
        Files.writeString(file, String.join("\n", lines));
    }
}
