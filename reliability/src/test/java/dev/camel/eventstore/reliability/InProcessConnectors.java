package dev.camel.eventstore.reliability;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Connectors run in this JVM, as an application embedding the templates runs them: a started CamelContext holding
 * {@link ConnectorTemplates}, connectors added to it, and what the tests read of them (consumer, route status,
 * health check).
 */
final class InProcessConnectors implements AutoCloseable {
    private final CamelContext context;

    InProcessConnectors() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        context.start();
    }

    CamelContext context() {
        return context;
    }

    /** Parameters as name, value, name, value, ... in a map that keeps their order. */
    static Map<String, String> parameters(String... nameValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put(nameValue[i], nameValue[i + 1]);
        }
        return map;
    }

    /** Creates and starts a connector from a template; the route id is the connector id. */
    void add(String template, String id, Map<String, String> parameters) {
        TemplatedRouteBuilder builder =
                TemplatedRouteBuilder.builder(context, template).routeId(id);
        parameters.forEach(builder::parameter);
        builder.add();
    }

    EventStoreConsumer consumer(String id) {
        return (EventStoreConsumer) context.getRoute(id).getConsumer();
    }

    ServiceStatus status(String id) {
        return context.getRouteController().getRouteStatus(id);
    }

    void startRoute(String id) throws Exception {
        context.getRouteController().startRoute(id);
    }

    /** The connector's health check ({@code consumer:eventstore-<id>}), read through Camel's registry. */
    HealthCheck.Result health(String id) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context);
        String check = "consumer:eventstore-" + id;
        return results.stream()
                .filter(r -> r.getCheck().getId().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + check + " among "
                        + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    @Override
    public void close() {
        context.stop();
    }
}
