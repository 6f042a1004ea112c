package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * How the benchmarks run the connectors: in this JVM from their route templates (in a context of the connector tests'
 * {@link Connectors#context()}), or in a child JVM from a file.
 */
final class ConnectorRuns {
    private ConnectorRuns() {}

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
        Map<String, String> parameters =
                Connectors.parameters("connectionString", connectionString, "initialPosition", "earliest");
        parameters.putAll(settings);
        Connectors.add(context, templateId, routeId, parameters);
        long end = Harness.awaitCount(
                () -> Harness.consumer(context, routeId).getDeliveredCount(), events, timeout, routeId);
        Harness.removeRoute(context, routeId);
        return Harness.rate(events, start, end);
    }

    /**
     * A template parameter's default, from the connectors library's own list (one place per default: a default
     * changed there is what the benchmarks run).
     */
    static String defaultOf(List<ConnectorTemplates.Parameter> parameters, String name) {
        return parameters.stream()
                .filter(p -> p.name().equals(name))
                .map(ConnectorTemplates.Parameter::defaultValue)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no template parameter " + name));
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
