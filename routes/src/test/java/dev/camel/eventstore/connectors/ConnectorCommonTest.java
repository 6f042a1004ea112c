package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.json;
import static dev.camel.eventstore.connectors.Connectors.number;
import static dev.camel.eventstore.connectors.Connectors.numbered;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static dev.camel.eventstore.connectors.Connectors.text;
import static dev.camel.eventstore.connectors.Connectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadStreamOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConstants;
import dev.camel.eventstore.EventStoreConsumerState;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.DefaultRouteTemplateContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every connector does, whatever its sink: the source and its server-side filters, the start position, the
 * JSONPath filter, the transform, retries, the dead-letter endpoint, and the validation of its settings.
 *
 * <p>Most tests use {@link MockSinkTemplate}: the connectors' own {@link ConnectorTemplates#common} part with a
 * {@code mock:} endpoint as the sink, so that the test sees every exchange and can make the sink fail. The settings
 * tests use the real templates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectorCommonTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MOCK = "test-mock-sink";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EventStoreTestServer server;
    private static EventStoreDBClient client;

    private final List<CamelContext> contexts = new ArrayList<>();

    /** The common part of the connectors, with the endpoint {@code sinkUri} as the sink. */
    static final class MockSinkTemplate extends RouteBuilder {
        @Override
        public void configure() {
            ConnectorTemplates.common(
                            routeTemplate(MOCK),
                            List.of(
                                    ConnectorTemplates.Parameter.required("sinkUri", "the sink"),
                                    ConnectorTemplates.Parameter.withDefault("maxInFlight", "1", "in flight")),
                            "")
                    .to("{{sinkUri}}")
                    .doCatch(Exception.class)
                    .process("{{deadLetter}}")
                    .end();
        }
    }

    @BeforeAll
    static void startServer() {
        server = EventStoreTestServer.startDefault();
        client = Connectors.client(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.shutdown().get(10, TimeUnit.SECONDS);
        server.close();
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    private CamelContext context() throws Exception {
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.addRoutes(new ConnectorTemplates());
        context.addRoutes(new MockSinkTemplate());
        context.start();
        return context;
    }

    /**
     * A started connector with a mock sink named after the route, reading $all from the start, with the given
     * settings.
     */
    private MockEndpoint mockConnector(CamelContext context, String routeId, String... settings) {
        Map<String, String> parameters = parameters(
                "connectionString", server.connectionString(),
                "initialPosition", "earliest",
                "sinkUri", "mock:" + routeId,
                "retryInitialDelay", "10",
                "retryMaxDelay", "50");
        parameters.putAll(parameters(settings));
        add(context, MOCK, routeId, parameters);
        return context.getEndpoint("mock:" + routeId, MockEndpoint.class);
    }

    private MockEndpoint mockConnector(String routeId, String... settings) throws Exception {
        return mockConnector(context(), routeId, settings);
    }

    // ---- server-side filters ----

    @Test
    void streamNamePrefixesLetOnlyTheirStreamsThrough() throws Exception {
        appendOneEach("c1-orders-1", "c1-invoices-1", "c1-orders-2", "c1-carts-1", "c1-x-orders-3");
        MockEndpoint sink = mockConnector("c1", "streamNamePrefixes", "c1-orders-, c1-carts-");
        assertThat(streamsReceived(sink, "c1-carts-2")).containsExactly("c1-orders-1", "c1-orders-2", "c1-carts-1");
    }

    @Test
    void streamNameRegexLetsOnlyMatchingStreamsThrough() throws Exception {
        appendOneEach("c2-orders-1", "c2-invoices-1", "c2-carts-22", "c2-orders-x", "c2-orders");
        MockEndpoint sink = mockConnector("c2", "streamNameRegex", "^c2-(orders|carts)-[0-9]");
        assertThat(streamsReceived(sink, "c2-orders-3")).containsExactly("c2-orders-1", "c2-carts-22");
    }

    @Test
    void aStreamNameRegexWithAPlusWorks() throws Exception {
        appendOneEach("c14-orders-1", "c14-invoices-1", "c14-orders-22", "c14-orders-x");
        MockEndpoint sink = mockConnector("c14", "streamNameRegex", "^c14-orders-[0-9]+$");
        assertThat(streamsReceived(sink, "c14-orders-3")).containsExactly("c14-orders-1", "c14-orders-22");
    }

    @Test
    void eventTypePrefixesLetOnlyTheirTypesThrough() throws Exception {
        server.append("c3-a", List.of(event("C3OrderPlaced", 0), event("C3InvoiceSent", 1)));
        server.append("c3-b", List.of(event("C3OrderShipped", 2), event("C3CartOpened", 3), event("XC3Order", 4)));
        MockEndpoint sink = mockConnector("c3", "eventTypePrefixes", "C3Order,C3Cart");
        server.append("c3-c", List.of(event("C3OrderPlaced", 5)));
        await().atMost(WAIT).until(() -> received(sink).contains(5));
        assertThat(received(sink)).containsExactly(0, 2, 3, 5);
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader("esdb-record-schema-subject"))
                .containsExactly("C3OrderPlaced", "C3OrderShipped", "C3CartOpened", "C3OrderPlaced");
    }

    @Test
    void eventTypeRegexLetsOnlyMatchingTypesThrough() throws Exception {
        server.append("c4-a", List.of(event("C4Placed", 0), event("C4Sent", 1), event("C4Shipped", 2)));
        server.append("c4-b", List.of(event("C4PlacedLate", 3), event("C4Shipped", 4)));
        MockEndpoint sink = mockConnector("c4", "eventTypeRegex", "^C4(Placed|Shipped)$");
        server.append("c4-c", List.of(event("C4Placed", 5)));
        await().atMost(WAIT).until(() -> received(sink).contains(5));
        assertThat(received(sink)).containsExactly(0, 2, 4, 5);
    }

    // ---- start position ----

    @Test
    void initialPositionEarliestReadsTheHistoryAndLatestOnlyNewEvents() throws Exception {
        server.append("c5-orders-1", numbered("OrderPlaced", 0, 3));
        CamelContext context = context();
        MockEndpoint earliest = mockConnector(context, "c5-earliest", "streamNamePrefixes", "c5-");
        MockEndpoint latest =
                mockConnector(context, "c5-latest", "streamNamePrefixes", "c5-", "initialPosition", "latest");
        await().atMost(WAIT).until(() -> consumer(context, "c5-latest").getState() == EventStoreConsumerState.LIVE);
        server.append("c5-orders-1", numbered("OrderPlaced", 3, 2));

        await().atMost(WAIT)
                .until(() -> received(earliest).contains(4) && received(latest).contains(4));
        assertThat(received(earliest)).containsExactly(0, 1, 2, 3, 4);
        assertThat(received(latest)).containsExactly(3, 4);
    }

    @Test
    void initialPositionLatestOnlyAppliesWhenThereIsNoCheckpoint() throws Exception {
        server.append("c6-orders-1", numbered("OrderPlaced", 0, 3));
        CamelContext first = context();
        mockConnector(first, "c6", "streamNamePrefixes", "c6-", "initialPosition", "latest");
        await().atMost(WAIT).until(() -> consumer(first, "c6").getState() == EventStoreConsumerState.LIVE);
        first.stop();

        // written while the connector is down: after its checkpoint, so delivered after the restart
        server.append("c6-orders-1", numbered("OrderPlaced", 3, 2));
        CamelContext second = context();
        MockEndpoint sink = mockConnector(second, "c6", "streamNamePrefixes", "c6-", "initialPosition", "latest");
        await().atMost(WAIT).until(() -> received(sink).contains(4));
        assertThat(received(sink)).containsExactly(3, 4);
    }

    // ---- the JSONPath filter ----

    @Test
    void filterJsonPathSkipsNonMatchingEventsAndTheCheckpointMovesPastThem() throws Exception {
        List<EventData> events = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            events.add(EventDataBuilder.json("OrderPlaced", utf8("{\"n\":" + n + ",\"amount\":" + n * 25 + "}"))
                    .build());
        }
        server.append("c7-orders-1", events);
        CamelContext context = context();
        MockEndpoint sink = mockConnector(
                context,
                "c7",
                "streamNamePrefixes",
                "c7-",
                "filterJsonPath",
                "$[?(@.amount > 100)]",
                "checkpointInterval",
                "100");
        // events 0 to 4 do not match, nor does the last event: the processed position still moves past it
        server.append(
                "c7-orders-1",
                List.of(EventDataBuilder.json("OrderPlaced", utf8("{\"n\":10,\"amount\":1}"))
                        .build()));
        SubscriptionPosition skipped = positionOf("c7-orders-1", 10);
        await().atMost(WAIT).until(() -> {
            SubscriptionPosition processed = consumer(context, "c7").getProcessedPosition();
            return processed != null && processed.compareTo(skipped) >= 0;
        });
        assertThat(received(sink)).containsExactly(5, 6, 7, 8, 9);
        // and so does the stored checkpoint
        await().atMost(WAIT).until(() -> {
            String stored = Connectors.storedCheckpoint(client, "camel-checkpoint-c7");
            return stored != null && SubscriptionPosition.parse(stored, true).compareTo(skipped) >= 0;
        });
    }

    @Test
    void dataThatIsNotJsonUnderAJsonFilterGoesToTheDeadLetterEndpointAtOnce() throws Exception {
        server.append(
                "c8-orders-1",
                List.of(
                        EventDataBuilder.json("OrderPlaced", utf8("{\"n\":0,\"amount\":500}"))
                                .build(),
                        EventDataBuilder.binary("OrderPlaced", utf8("<order n='1'/>"))
                                .build(),
                        EventDataBuilder.json("OrderPlaced", utf8("{\"n\":2,\"amount\":500}"))
                                .build()));
        CamelContext context = context();
        MockEndpoint sink = mockConnector(
                context,
                "c8",
                "streamNamePrefixes",
                "c8-",
                "filterJsonPath",
                "$[?(@.amount > 100)]",
                "retryMaxAttempts",
                "5",
                "deadLetterUri",
                "mock:c8-dlq");
        MockEndpoint dlq = context.getEndpoint("mock:c8-dlq", MockEndpoint.class);
        await().atMost(WAIT).until(() -> received(sink).contains(2));
        assertThat(received(sink)).containsExactly(0, 2);
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        Exchange dead = dlq.getReceivedExchanges().get(0);
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("<order n='1'/>");
        // at once: no retry
        assertThat(dead.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT))
                .isEqualTo(1);
        assertThat(dead.getMessage().getHeader("esdb-error", String.class))
                .startsWith("filterJsonPath cannot be evaluated on the event's data: ");
        assertThat(dead.getMessage().getHeader("esdb-error-type")).isEqualTo(InvalidRecordException.class.getName());
        // the connector's own headers say which event it is (a Kafka or HTTP dead-letter endpoint drops Camel*)
        assertThat(dead.getMessage().getHeader("esdb-record-stream-id")).isEqualTo("c8-orders-1");
        assertThat(dead.getMessage().getHeader("esdb-record-stream-revision")).isEqualTo("1");
        assertThat(dead.getMessage().getHeader("esdb-connector-id")).isEqualTo("c8");
    }

    @Test
    void dataThatIsNotJsonUnderAJsonFilterWithoutADeadLetterEndpointStopsTheConnectorAtOnce() throws Exception {
        server.append(
                "c16-orders-1",
                List.of(
                        EventDataBuilder.json("OrderPlaced", utf8("{\"n\":0,\"amount\":500}"))
                                .build(),
                        EventDataBuilder.binary("OrderPlaced", utf8("<order n='1'/>"))
                                .build(),
                        EventDataBuilder.json("OrderPlaced", utf8("{\"n\":2,\"amount\":500}"))
                                .build()));
        CamelContext context = context();
        // retryMaxAttempts 0 (the default): a sink failure would be retried forever, this one cannot succeed
        MockEndpoint sink =
                mockConnector(context, "c16", "streamNamePrefixes", "c16-", "filterJsonPath", "$[?(@.amount > 100)]");
        await().atMost(WAIT).until(() -> context.getRouteController().getRouteStatus("c16") == ServiceStatus.Stopped);

        assertThat(received(sink)).containsExactly(0);
        HealthCheck.Result health = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:eventstore-c16"))
                .findFirst()
                .orElseThrow();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getDetails()).containsEntry("state", "FAILED");
        SubscriptionPosition notJson = positionOf("c16-orders-1", 1);
        assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("the exchange of the event at " + notJson + " failed and")
                .contains("InvalidRecordException: filterJsonPath cannot be evaluated on the event's data")
                .contains("retrying cannot fix it"));
    }

    // ---- the transform ----

    @Test
    void anEventTheTransformFailsOnGoesToTheDeadLetterEndpointAtOnce() throws Exception {
        server.append(
                "c15-orders-1",
                List.of(
                        EventDataBuilder.json("OrderPlaced", utf8("{\"n\":0}")).build(),
                        EventDataBuilder.binary("OrderPlaced", utf8("not json")).build(),
                        EventDataBuilder.json("OrderPlaced", utf8("{\"n\":2}")).build()));
        CamelContext context = context();
        MockEndpoint sink = mockConnector(
                context,
                "c15",
                "streamNamePrefixes",
                "c15-",
                "transformLanguage",
                "jsonpath",
                "transformExpression",
                "$",
                "retryMaxAttempts",
                "5",
                "deadLetterUri",
                "mock:c15-dlq");
        MockEndpoint dlq = context.getEndpoint("mock:c15-dlq", MockEndpoint.class);
        await().atMost(WAIT).until(() -> sink.getReceivedExchanges().size() >= 2);
        assertThat(received(sink)).containsExactly(0, 2);
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        Exchange dead = dlq.getReceivedExchanges().get(0);
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("not json");
        assertThat(dead.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT))
                .isEqualTo(1);
        assertThat(dead.getMessage().getHeader("esdb-error", String.class))
                .startsWith("the jsonpath transform failed on the event's data: ");
        assertThat(dead.getMessage().getHeader("esdb-record-stream-id")).isEqualTo("c15-orders-1");
        assertThat(dead.getMessage().getHeader("esdb-record-stream-revision")).isEqualTo("1");
    }

    @Test
    void aSimpleTransformBecomesTheBody() throws Exception {
        server.append("c9-orders-1", numbered("OrderPlaced", 0, 2));
        MockEndpoint sink = mockConnector(
                "c9",
                "streamNamePrefixes",
                "c9-",
                "transformExpression",
                "${header.CamelEventStoreEventType} at ${header.CamelEventStoreRevision}: ${bodyAs(String)}");
        await().atMost(WAIT).until(() -> sink.getReceivedExchanges().size() >= 2);
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getBody(String.class))
                .containsExactly("OrderPlaced at 0: {\"n\":0}", "OrderPlaced at 1: {\"n\":1}");
        // the headers still describe the event
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader("esdb-record-stream-revision"))
                .containsExactly("0", "1");
    }

    @Test
    void aJsonPathTransformWritesObjectsAndListsAsJson() throws Exception {
        byte[] order = utf8("{\"n\":0,\"customer\":{\"name\":\"Ann\",\"tier\":\"gold\"},"
                + "\"items\":[{\"sku\":\"a-1\",\"qty\":2},{\"sku\":\"b-2\",\"qty\":1}]}");
        server.append(
                "c10-orders-1",
                List.of(EventDataBuilder.json("OrderPlaced", order).build()));
        // two contexts: the two connectors read the same source (see twoConnectorsWithTheSameSourceRunInOneContext)
        MockEndpoint customer = mockConnector(
                context(),
                "c10-customer",
                "streamNamePrefixes",
                "c10-",
                "transformLanguage",
                "jsonpath",
                "transformExpression",
                "$.customer");
        MockEndpoint skus = mockConnector(
                context(),
                "c10-skus",
                "streamNamePrefixes",
                "c10-",
                "transformLanguage",
                "jsonpath",
                "transformExpression",
                "$.items[*].sku");
        await().atMost(WAIT)
                .until(() -> customer.getReceivedExchanges().size() == 1
                        && skus.getReceivedExchanges().size() == 1);
        byte[] customerBody =
                customer.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        assertThat(JSON.readTree(customerBody)).isEqualTo(JSON.readTree("{\"name\":\"Ann\",\"tier\":\"gold\"}"));
        byte[] skuBody = skus.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        assertThat(text(skuBody)).isEqualTo("[\"a-1\",\"b-2\"]");
    }

    // ---- failures ----

    @Test
    void aFailingSinkIsRetriedThenTheEventIsDeadLetteredAndTheConnectorMovesOn() throws Exception {
        server.append("c11-orders-1", numbered("OrderPlaced", 0, 4));
        CamelContext context = context();
        MockEndpoint sink = rejectingEventOne(context, "mock:c11");
        mockConnector(
                context, "c11", "streamNamePrefixes", "c11-", "retryMaxAttempts", "3", "deadLetterUri", "mock:c11-dlq");
        MockEndpoint dlq = context.getEndpoint("mock:c11-dlq", MockEndpoint.class);
        await().atMost(WAIT).until(() -> received(sink).contains(3));

        // event 1 three times, and nothing after it before its last attempt
        assertThat(received(sink)).containsExactly(0, 1, 1, 1, 2, 3);
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT))
                .containsExactly(1, 1, 2, 3, 1, 1);
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        Exchange dead = dlq.getReceivedExchanges().get(0);
        assertThat(number(dead.getMessage().getBody(byte[].class))).isEqualTo(1);
        assertThat(dead.getMessage().getHeader("esdb-error")).isEqualTo("sink rejected event 1");
        assertThat(dead.getMessage().getHeader("esdb-error-type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.getMessage().getHeader("esdb-record-stream-id")).isEqualTo("c11-orders-1");
        assertThat(dead.getMessage().getHeader("esdb-record-stream-revision")).isEqualTo("1");
        assertThat(consumer(context, "c11").getState())
                .isIn(EventStoreConsumerState.CATCHING_UP, EventStoreConsumerState.LIVE);
    }

    @Test
    void withoutADeadLetterEndpointTheRouteStopsAfterRetryMaxAttempts() throws Exception {
        server.append("c12-orders-1", numbered("OrderPlaced", 0, 4));
        CamelContext context = context();
        MockEndpoint sink = rejectingEventOne(context, "mock:c12");
        mockConnector(context, "c12", "streamNamePrefixes", "c12-", "retryMaxAttempts", "2");
        await().atMost(WAIT).until(() -> context.getRouteController().getRouteStatus("c12") == ServiceStatus.Stopped);

        assertThat(received(sink)).containsExactly(0, 1, 1);
        HealthCheck.Result health = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:eventstore-c12"))
                .findFirst()
                .orElseThrow();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getDetails()).containsEntry("state", "FAILED");
        SubscriptionPosition eventOne = positionOf("c12-orders-1", 1);
        assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("the exchange of the event at " + eventOne + " failed 2 times")
                .contains("sink rejected event 1"));
        // event 1 was never processed: the stored checkpoint is event 0's position, so a restart retries event 1
        assertThat(SubscriptionPosition.parse(Connectors.storedCheckpoint(client, "camel-checkpoint-c12"), true))
                .isEqualTo(positionOf("c12-orders-1", 0));
    }

    // ---- settings ----

    @Test
    void invalidSettingsFailWhenTheConnectorIsAddedWithAMessageNamingTheSetting() throws Exception {
        CamelContext context = context();
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'keyExtraction': it must be one of none, stream, streamSuffix, regex,"
                        + " headers, got 'bogus'",
                "topic",
                "t",
                "keyExtraction",
                "bogus");
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'keyExpression': it is required",
                "topic",
                "t",
                "keyExtraction",
                "regex");
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'keyExpression': it needs a capture group for the key, e.g. ^([^-]+)-",
                "topic",
                "t",
                "keyExtraction",
                "regex",
                "keyExpression",
                "^orders-");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'retryMaxAttempts': it must be at least 0, got -1",
                "retryMaxAttempts",
                "-1");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'deadLetterUri': it needs retryMaxAttempts > 0 (after how many attempts an"
                        + " event is dead-lettered)",
                "deadLetterUri",
                "mock:dlq");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'checkpointStore': it must be one of eventstore, kafka, got 'bogus'",
                "checkpointStore",
                "bogus");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'checkpointKafkaBootstrapServers': it is required",
                "checkpointStore",
                "kafka");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'checkpointInterval': it must be milliseconds or a duration such as 5s,"
                        + " got 'soon'",
                "checkpointInterval",
                "soon");
        // a name the template does not have is not ignored in silence
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'initalPosition': it is not a setting of eventstore-logger-sink (did you"
                        + " mean 'initialPosition'?); its settings are [",
                "initalPosition",
                "earliest");
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'colour': it is not a setting of eventstore-kafka-sink; its settings are [",
                "topic",
                "t",
                "colour",
                "blue");
        // values the endpoints would reject without naming the setting
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'logLevel': it must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got"
                        + " 'LOUD'",
                "logLevel",
                "LOUD");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'retryInitialDelay': it must be milliseconds or a duration such as 5s,"
                        + " got 'soon'",
                "retryInitialDelay",
                "soon");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'excludeSystemEvents': it must be true or false, got 'maybe'",
                "excludeSystemEvents",
                "maybe");
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'compression': it must be one of none, gzip, snappy, lz4, zstd, got 'zip'",
                "topic",
                "t",
                "compression",
                "zip");
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'acks': it must be one of all, -1, 1, 0, got '2'",
                "topic",
                "t",
                "acks",
                "2");
        // Kafka refuses an idempotent producer (idempotence=true is the default) without acks=all, naming neither
        // of the two settings
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'acks': it must be all or -1 while idempotence is true (its default), got"
                        + " '1': acks=1 needs idempotence=false, as an idempotent producer requires acks=all",
                "topic",
                "t",
                "acks",
                "1");
        assertInvalid(
                context,
                ConnectorTemplates.KAFKA,
                "Invalid connector setting 'acks': it must be all or -1 while idempotence is true (its default), got"
                        + " '0': acks=0 needs idempotence=false, as an idempotent producer requires acks=all",
                "topic",
                "t",
                "acks",
                "0",
                "idempotence",
                "TRUE");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'checkpointInterval': it must not be negative, got '-5'",
                "checkpointInterval",
                "-5");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'checkpointInterval': it must be greater than 0",
                "checkpointInterval",
                "0");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'defaultHeaders': it must be Name=value pairs separated by commas, got"
                        + " 'oops'",
                "defaultHeaders",
                "a=1,oops");
        assertInvalid(
                context,
                ConnectorTemplates.LOGGER,
                "Invalid connector setting 'ignoreSystemHeaders': it must be true or false, got 'yes'",
                "ignoreSystemHeaders",
                "yes");
        // none of them left a route behind
        assertThat(context.getRoutes()).isEmpty();
    }

    /**
     * The Kafka choices in the spellings the settings check accepts (EventStoreDB's among them: Zstd, saslSsl,
     * scramSha256) and what the Kafka endpoint gets for each: Kafka's own spelling, which its producer accepts.
     * KafkaSinkTest sends through a producer configured so; SASL and SSL ones need a broker that has them.
     */
    @ParameterizedTest
    @CsvSource({
        "acks, all, all",
        "acks, ALL, all",
        "acks, -1, -1",
        "acks, 1, 1",
        "acks, 0, 0",
        "compression, None, none",
        "compression, Gzip, gzip",
        "compression, Snappy, snappy",
        "compression, Lz4, lz4",
        "compression, Zstd, zstd",
        "securityProtocol, plaintext, PLAINTEXT",
        "securityProtocol, ssl, SSL",
        "securityProtocol, saslPlaintext, SASL_PLAINTEXT",
        "securityProtocol, saslSsl, SASL_SSL",
        "securityProtocol, sasl-ssl, SASL_SSL",
        "saslMechanism, plain, PLAIN",
        "saslMechanism, scramSha256, SCRAM-SHA-256",
        "saslMechanism, scramSha512, SCRAM-SHA-512",
        "saslMechanism, scram_sha_512, SCRAM-SHA-512",
        "saslMechanism, oauthBearer, OAUTHBEARER",
        "saslMechanism, gssapi, GSSAPI"
    })
    void kafkaChoicesInAnyAcceptedSpellingReachTheEndpointAsKafkaSpellsThem(String setting, String given, String kafka)
            throws Exception {
        RouteTemplateContext template = new DefaultRouteTemplateContext(context());
        template.setParameter(setting, given);
        assertThat(SettingsCheck.value(new ConnectorSettings(template), setting))
                .isEqualTo(kafka);
    }

    @Test
    void anInvalidSettingFailsTheStartOfAContextTheConnectorWasAddedTo() throws Exception {
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.addRoutes(new ConnectorTemplates());
        add(
                context,
                ConnectorTemplates.LOGGER,
                "bad",
                parameters("connectionString", server.connectionString(), "checkpointStore", "bogus"));
        assertThatThrownBy(context::start).satisfies(e -> assertThat(rootCause(e))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid connector setting 'checkpointStore': it must be one of eventstore,"
                        + " kafka, got 'bogus'"));
    }

    private void assertInvalid(CamelContext context, String template, String message, String... settings)
            throws Exception {
        Map<String, String> parameters = parameters("connectionString", server.connectionString());
        parameters.putAll(parameters(settings));
        assertThatThrownBy(() -> add(context, template, "invalid", parameters))
                .as("%s", parameters)
                .satisfies(e -> assertThat(rootCause(e))
                        .isInstanceOf(IllegalArgumentException.class)
                        // a message ending in "[" is followed by the list of settings
                        .satisfies(cause -> assertThat(cause.getMessage())
                                .satisfiesAnyOf(m -> assertThat(m).isEqualTo(message), m -> assertThat(message)
                                        .endsWith("[")
                                        .satisfies(prefix -> assertThat(m).startsWith(prefix)))));
        if (context.getRoute("invalid") != null) {
            context.removeRoute("invalid");
        }
    }

    @Test
    void twoConnectorsWithTheSameSourceRunInOneContext() throws Exception {
        server.append("c13-orders-1", numbered("OrderPlaced", 0, 3));
        CamelContext context = context();
        mockConnector(context, "c13-one", "streamNamePrefixes", "c13-", "sinkUri", "mock:c13");
        mockConnector(context, "c13-two", "streamNamePrefixes", "c13-", "sinkUri", "mock:c13");
        MockEndpoint one = context.getEndpoint("mock:c13", MockEndpoint.class);
        await().atMost(WAIT).until(() -> one.getReceivedExchanges().size() >= 6);
        assertThat(one.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader("esdb-connector-id"))
                .containsOnly("c13-one", "c13-two")
                .hasSize(6);
    }

    // ---- helpers ----

    /** A mock sink that fails every delivery of event 1 (set up before the connector starts sending to it). */
    private static MockEndpoint rejectingEventOne(CamelContext context, String uri) {
        MockEndpoint sink = context.getEndpoint(uri, MockEndpoint.class);
        sink.whenAnyExchangeReceived(e -> {
            if (number(e.getMessage().getBody(byte[].class)) == 1) {
                throw new IllegalStateException("sink rejected event 1");
            }
        });
        return sink;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static EventData event(String type, int n) {
        return EventDataBuilder.json(type, json(n)).build();
    }

    /** Appends one numbered event to each stream, numbered in the order given. */
    private static void appendOneEach(String... streams) {
        for (int i = 0; i < streams.length; i++) {
            server.append(streams[i], List.of(event("Numbered", i)));
        }
    }

    /**
     * Appends a sentinel event to a stream the connector lets through, waits for it, and returns the streams of
     * what the connector received before it, in order.
     */
    private static List<String> streamsReceived(MockEndpoint sink, String sentinelStream) {
        server.append(sentinelStream, List.of(event("Sentinel", -1)));
        await().atMost(WAIT).until(() -> received(sink).contains(-1));
        List<String> streams = new ArrayList<>();
        for (Exchange e : sink.getReceivedExchanges()) {
            streams.add(e.getMessage().getHeader("esdb-record-stream-id", String.class));
        }
        assertThat(streams).endsWith(sentinelStream);
        return streams.subList(0, streams.size() - 1);
    }

    /** The numbers of the events the sink received, in order. */
    private static List<Integer> received(MockEndpoint sink) {
        return sink.getReceivedExchanges().stream()
                .map(e -> number(e.getMessage().getBody(byte[].class)))
                .toList();
    }

    private static SubscriptionPosition positionOf(String stream, long revision) throws Exception {
        return SubscriptionPosition.ofAll(client.readStream(
                        stream, ReadStreamOptions.get().fromRevision(revision).maxCount(1))
                .get(10, TimeUnit.SECONDS)
                .getEvents()
                .get(0)
                .getOriginalEvent()
                .getPosition());
    }
}
