package dev.camel.eventstore.connectors;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * What the HTTP connector tests share: the testkit EventStoreDB server, real local HTTP(S) receivers, connectors
 * reading the streams of a fresh prefix, and the numbered events they send.
 */
abstract class HttpConnectorTest extends ConnectorTestSupport {
    static final AtomicInteger STREAMS = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    static String newPrefix(String name) {
        return "http-" + name + "-" + STREAMS.incrementAndGet() + "-";
    }

    static List<EventData> numbered(String type, int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(n ->
                        (EventData) EventDataBuilder.json(type, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                                .metadataAsBytes(("{\"tenant\":\"acme\",\"$correlationId\":\"c-" + n + "\"}")
                                        .getBytes(StandardCharsets.UTF_8))
                                .build())
                .toList();
    }

    HttpTestReceiver receiver() throws Exception {
        return closeAfterTest(HttpTestReceiver.http());
    }

    CamelContext context() throws Exception {
        return closeAfterTest(Connectors.context());
    }

    /** Adds an HTTP connector reading the streams that start with {@code prefix}, from the start. */
    static void connector(CamelContext context, String id, String prefix, Map<String, Object> settings)
            throws Exception {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, ConnectorTemplates.HTTP)
                .routeId(id)
                .parameter("connectionString", server().connectionString())
                .parameter("streamNamePrefixes", prefix)
                .parameter("initialPosition", "earliest")
                .parameter("retryInitialDelay", "20")
                .parameter("retryMaxDelay", "100");
        settings.forEach(builder::parameter);
        builder.add();
    }

    static EventStoreConsumer consumer(CamelContext context, String id) {
        return (EventStoreConsumer) context.getRoute(id).getConsumer();
    }

    static int number(byte[] body) throws Exception {
        return JSON.readTree(body).get("n").asInt();
    }

    static List<Integer> numbers(List<HttpTestReceiver.Request> requests) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (HttpTestReceiver.Request r : requests) {
            JsonNode body = JSON.readTree(r.body());
            if (body.isArray()) {
                body.forEach(e -> numbers.add(e.get("n").asInt()));
            } else {
                numbers.add(body.get("n").asInt());
            }
        }
        return numbers;
    }
}
