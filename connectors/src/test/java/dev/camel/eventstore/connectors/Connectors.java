package dev.camel.eventstore.connectors;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.Checkpoint;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What the tests of connectors run in a JVM of their own share: contexts with the templates, connectors and what a
 * test reads of them (consumer, health), numbered test events, checkpoints. Also in this module's test jar, for the
 * reliability suite, the application's tests and the benchmarks.
 */
public final class Connectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Connectors() {}

    /** A started CamelContext holding {@link ConnectorTemplates}, and no route yet; closing it stops it. */
    public static CamelContext context() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        context.start();
        return context;
    }

    /** Parameters as name, value, name, value, ... in a map that keeps their order. */
    public static Map<String, String> parameters(String... nameValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put(nameValue[i], nameValue[i + 1]);
        }
        return map;
    }

    /** Creates (and, in a started context, starts) a connector from a template; the route id is the connector id. */
    public static void add(CamelContext context, String template, String routeId, Map<String, String> parameters) {
        TemplatedRouteBuilder builder =
                TemplatedRouteBuilder.builder(context, template).routeId(routeId);
        parameters.forEach(builder::parameter);
        builder.add();
    }

    public static EventStoreConsumer consumer(CamelContext context, String routeId) {
        return (EventStoreConsumer) context.getRoute(routeId).getConsumer();
    }

    /** The result of the connector's health check ({@code consumer:eventstore-<id>}), called through Camel's registry. */
    public static HealthCheck.Result health(CamelContext context, String routeId) {
        String check = "consumer:eventstore-" + routeId;
        return HealthCheckHelper.invoke(context, check, Map.of())
                .orElseThrow(() -> new AssertionError("no health check " + check + " among "
                        + HealthCheckRegistry.get(context).getCheckIDs()));
    }

    /** The JSON data of numbered test event {@code n}. */
    public static byte[] json(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Numbered JSON events {@code from} to {@code from + count - 1}, of the given type. */
    public static List<EventData> numbered(String type, int from, int count) {
        List<EventData> events = new ArrayList<>(count);
        for (int n = from; n < from + count; n++) {
            events.add(EventDataBuilder.json(type, json(n)).build());
        }
        return events;
    }

    /** The number in a numbered event's JSON data. */
    public static int number(byte[] data) {
        try {
            JsonNode n = JSON.readTree(data).get("n");
            if (n == null || !n.isInt()) {
                throw new AssertionError("not a numbered event: " + text(data));
            }
            return n.intValue();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(data), e);
        }
    }

    /** The position stored in the newest event of a checkpoint stream, or {@code null} when there is none. */
    public static String storedCheckpoint(EventStoreDBClient client, String stream) throws Exception {
        return StreamReads.newest(client, stream)
                .map(event -> Checkpoint.fromJson(event.getEventData()).position())
                .orElse(null);
    }

    /** The $all position of a stream's event, as the server reports it. */
    public static SubscriptionPosition positionOf(EventStoreDBClient client, String stream, long revision)
            throws Exception {
        return SubscriptionPosition.ofAll(
                StreamReads.at(client, stream, revision).getPosition());
    }

    /**
     * The parameters of a connector reading, from the start, the streams whose names start with {@code prefix},
     * followed by {@code more} (name, value, ...).
     */
    public static Map<String, String> fromStart(String connectionString, String prefix, String... more) {
        Map<String, String> map = parameters(
                "connectionString", connectionString, "initialPosition", "earliest", "streamNamePrefixes", prefix);
        map.putAll(parameters(more));
        return map;
    }
}
