package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.json;
import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConsumerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What the connector tests of every sink's common part share: a testkit server, contexts holding the real templates
 * and {@link MockSinkTemplate} (the connectors' own {@link ConnectorRoute} with a {@code mock:} endpoint as the
 * sink, so that a test sees every exchange and can make the sink fail), and helpers on numbered events.
 */
abstract class MockSinkConnectorTest extends ConnectorTestSupport {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MOCK = "test-mock-sink";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The common part of the connectors, with the endpoint {@code sinkUri} as the sink. */
    static final class MockSinkTemplate extends RouteBuilder {
        @Override
        public void configure() {
            new ConnectorRoute(
                            routeTemplate(MOCK),
                            List.of(
                                    ConnectorTemplates.Parameter.required("sinkUri", "the sink"),
                                    ConnectorTemplates.Parameter.withDefault("maxInFlight", "1", "in flight")),
                            RequiredArtifact.CAMEL_LOG)
                    .from("", java.util.function.UnaryOperator.identity())
                    .to("{{sinkUri}}")
                    .doCatch(Exception.class)
                    .process("{{deadLetter}}")
                    .end();
        }
    }

    CamelContext context() throws Exception {
        CamelContext context = closeAfterTest(new DefaultCamelContext());
        context.addRoutes(new ConnectorTemplates());
        context.addRoutes(new MockSinkTemplate());
        context.start();
        return context;
    }

    /** Appends orders {@code from} to {@code from + count - 1} to the stream {@code <prefix>orders-1}; then {@link #context()}. */
    CamelContext contextAfterOrders(String prefix, int from, int count) throws Exception {
        server().append(prefix + "orders-1", Connectors.numbered("OrderPlaced", from, count));
        return context();
    }

    /**
     * A started connector with a mock sink named after the route, reading $all from the start, with the given
     * settings.
     */
    MockEndpoint mockConnector(CamelContext context, String routeId, String... settings) {
        return mockConnector(context, routeId, parameters(settings));
    }

    MockEndpoint mockConnector(CamelContext context, String routeId, Map<String, String> settings) {
        Map<String, String> parameters = parameters(
                "connectionString", server().connectionString(),
                "initialPosition", "earliest",
                "sinkUri", "mock:" + routeId,
                "retryInitialDelay", "10",
                "retryMaxDelay", "50");
        parameters.putAll(settings);
        add(context, MOCK, routeId, parameters);
        return context.getEndpoint("mock:" + routeId, MockEndpoint.class);
    }

    MockEndpoint mockConnector(String routeId, String... settings) throws Exception {
        return mockConnector(context(), routeId, settings);
    }

    // ---- helpers ----

    /** A mock sink that fails every delivery of event 1 (set up before the connector starts sending to it). */
    static MockEndpoint rejectingEventOne(CamelContext context, String uri) {
        MockEndpoint sink = context.getEndpoint(uri, MockEndpoint.class);
        sink.whenAnyExchangeReceived(e -> {
            if (number(e.getMessage().getBody(byte[].class)) == 1) {
                throw new IllegalStateException("sink rejected event 1");
            }
        });
        return sink;
    }

    /**
     * Waits until the connector stopped itself, its health check DOWN and its consumer FAILED; returns the reason the
     * check gives.
     */
    static String awaitFailed(CamelContext context, String routeId) {
        await().atMost(WAIT).until(() -> context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Stopped);
        HealthCheck.Result health = Connectors.health(context, routeId);
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getDetails()).containsEntry("state", "FAILED");
        assertThat(health.getMessage()).isPresent();
        return health.getMessage().get();
    }

    /** Waits until the connector reads live, past the history it found. */
    static void awaitLive(CamelContext context, String routeId) {
        await().atMost(WAIT)
                .until(() -> Connectors.consumer(context, routeId).getState() == EventStoreConsumerState.LIVE);
    }

    static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static EventData event(String type, int n) {
        return EventDataBuilder.json(type, json(n)).build();
    }

    /** Appends one numbered event to each stream, numbered in the order given. */
    static void appendOneEach(String... streams) {
        for (int i = 0; i < streams.length; i++) {
            server().append(streams[i], List.of(event("Numbered", i)));
        }
    }

    /**
     * Appends a sentinel event to a stream the connector lets through, waits for it, and returns the streams of
     * what the connector received before it, in order.
     */
    static List<String> streamsReceived(MockEndpoint sink, String sentinelStream) {
        server().append(sentinelStream, List.of(event("Sentinel", -1)));
        await().atMost(WAIT).until(() -> received(sink).contains(-1));
        List<String> streams = new ArrayList<>();
        for (Exchange e : sink.getReceivedExchanges()) {
            streams.add(e.getMessage().getHeader("esdb-record-stream-id", String.class));
        }
        assertThat(streams).endsWith(sentinelStream);
        return streams.subList(0, streams.size() - 1);
    }

    /** The numbers of the events the sink received, in order. */
    static List<Integer> received(MockEndpoint sink) {
        return sink.getReceivedExchanges().stream()
                .map(e -> number(e.getMessage().getBody(byte[].class)))
                .toList();
    }
}
