package dev.camel.eventstore.connectors.app;

import dev.camel.eventstore.connectors.ConnectorMessages;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says at startup what each connector reads, how it filters, where it writes: never a secret. */
final class ConnectorReport {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorReport.class);

    private ConnectorReport() {}

    static void log(CamelContext context) {
        ModelCamelContext model = (ModelCamelContext) context;
        int connectors = 0;
        for (Route route : context.getRoutes()) {
            RouteDefinition definition = model.getRouteDefinition(route.getRouteId());
            if (definition == null || definition.getTemplateParameters() == null) {
                continue;
            }
            Map<String, Object> p = resolved(context, definition.getTemplateParameters());
            String sink = sink(p);
            if (sink == null) {
                continue;
            }
            connectors++;
            LOG.info(
                    "Connector {}: source eventstore:{} from {} (when no checkpoint), filter {}, sink {}, checkpoints"
                            + " in {}",
                    route.getRouteId(),
                    setting(p, "stream"),
                    setting(p, "initialPosition"),
                    filter(p),
                    sink,
                    setting(p, "checkpointStore"));
        }
        LOG.info("{} connector(s) running; each logs its resume position when it subscribes", connectors);
    }

    /**
     * The parameters as the route uses them, property placeholders resolved ({@code logCategory={{orders.category}}}
     * is reported as the category); the text as given when a placeholder cannot be resolved.
     */
    private static Map<String, Object> resolved(CamelContext context, Map<String, Object> parameters) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            Object shown = value;
            if (value instanceof String text && text.contains(PropertiesComponent.PREFIX_TOKEN)) {
                try {
                    shown = context.resolvePropertyPlaceholders(text);
                } catch (RuntimeException e) {
                    // the route failed on it already, or will: show what was given
                }
            }
            resolved.put(name, shown);
        });
        return resolved;
    }

    /** The setting as given, else the templates' default. */
    private static Object setting(Map<String, Object> p, String name) {
        Object value = p.get(name);
        if (value != null) {
            return value;
        }
        return Stream.of(ConnectorTemplates.COMMON, ConnectorTemplates.HTTP_PARAMETERS)
                .flatMap(List::stream)
                .filter(parameter -> parameter.name().equals(name))
                .map(ConnectorTemplates.Parameter::defaultValue)
                .findFirst()
                .orElse(null);
    }

    private static String sink(Map<String, Object> p) {
        if (p.containsKey("topic")) {
            return "kafka:" + p.get("topic") + " at " + p.get("bootstrapServers");
        }
        if (p.containsKey("url")) {
            return setting(p, "method") + " " + ConnectorMessages.redactUrl(String.valueOf(p.get("url")));
        }
        if (p.containsKey("logCategory")) {
            return "log:" + p.get("logCategory") + " at " + p.get("logLevel");
        }
        return null;
    }

    private static String filter(Map<String, Object> p) {
        StringBuilder s = new StringBuilder();
        for (String name : new String[] {
            "streamNamePrefixes", "streamNameRegex", "eventTypePrefixes", "eventTypeRegex", "filterJsonPath"
        }) {
            Object value = p.get(name);
            if (value != null && !value.toString().isBlank()) {
                s.append(s.isEmpty() ? "" : ", ").append(name).append('=').append(value);
            }
        }
        if (s.isEmpty()) {
            s.append("none");
        }
        return s.append(", excludeSystemEvents=")
                .append(setting(p, "excludeSystemEvents"))
                .toString();
    }
}
