package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.fromStart;
import static dev.camel.eventstore.connectors.Connectors.numbered;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static dev.camel.eventstore.connectors.Connectors.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.support.LogCapture;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code eventstore-logger-sink} template: one log line per event on the {@code logCategory} logger, at
 * {@code logLevel}, with the {@code esdb-record-*} headers and, when {@code includeRecordData} is true, the data.
 * Also a logger connector defined in the YAML DSL and one defined by {@code camel.routeTemplate[...]} properties of
 * camel-main.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoggerSinkTest extends MockSinkConnectorTest {

    private LogCapture capture(String category, Level level) {
        return closeAfterTest(new LogCapture(category, level));
    }

    private CamelContext logger(String routeId, String prefix, String category, String... settings) throws Exception {
        CamelContext context = closeAfterTest(Connectors.context());
        Map<String, String> parameters = fromStart(server().connectionString(), prefix, "logCategory", category);
        parameters.putAll(parameters(settings));
        add(context, ConnectorTemplates.LOGGER, routeId, parameters);
        return context;
    }

    @Test
    void logsEachEventWithItsHeadersAndDataAtInfoByDefault() throws Exception {
        // through the real client, with user metadata (to which the client adds its $-prefixed tracing ids)
        UUID first = UUID.randomUUID();
        client().appendToStream(
                        "l1-orders-1",
                        AppendToStreamOptions.get(),
                        EventDataBuilder.json(first, "OrderPlaced", utf8("{\"n\":0,\"total\":12.5}"))
                                .metadataAsBytes(utf8("{\"tenant\":\"acme\"}"))
                                .build())
                .get(10, TimeUnit.SECONDS);
        server().append("l1-carts-1", numbered("CartOpened", 1, 1));
        server().append("l1-orders-1", numbered("OrderShipped", 2, 1));
        LogCapture log = capture("connectors.test.l1", null);

        logger("l1", "l1-", "connectors.test.l1");
        await().atMost(WAIT).until(() -> log.events().size() >= 3);

        List<ILoggingEvent> events = log.events();
        assertThat(events).hasSize(3).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        List<String> lines = log.messages();
        assertThat(lines.get(0))
                .startsWith("Exchange[Headers: {")
                .contains("esdb-connector-id=l1")
                .contains("esdb-record-id=" + first)
                .contains("esdb-record-stream-id=l1-orders-1")
                .contains("esdb-record-stream-revision=0")
                .contains("esdb-record-schema-subject=OrderPlaced")
                .contains("esdb-record-schema-type=json")
                .contains("esdb-record-log-position="
                        + Connectors.positionOf(client(), "l1-orders-1", 0).commit())
                .contains("esdb-record-timestamp=")
                .contains("esdb-record-headers-tenant=acme")
                .endsWith(", Body: {\"n\":0,\"total\":12.5}]");
        assertThat(lines.get(1))
                .contains("esdb-record-stream-id=l1-carts-1", "esdb-record-schema-subject=CartOpened")
                .endsWith(", Body: {\"n\":1}]");
        assertThat(lines.get(2))
                .contains("esdb-record-stream-id=l1-orders-1", "esdb-record-stream-revision=1")
                .endsWith(", Body: {\"n\":2}]");
        // neither the consumer's own headers nor the client's $-prefixed metadata
        assertThat(lines).noneMatch(line -> line.contains("CamelEventStore") || line.contains("headers-$"));
    }

    @Test
    void withoutTheDataWhenIncludeRecordDataIsFalseAtTheConfiguredLevel() throws Exception {
        server().append("l2-orders-1", numbered("OrderPlaced", 0, 2));
        LogCapture log = capture("connectors.test.l2", null);

        logger("l2", "l2-", "connectors.test.l2", "includeRecordData", "false", "logLevel", "WARN");
        await().atMost(WAIT).until(() -> log.events().size() >= 2);

        assertThat(log.events()).hasSize(2).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
        assertThat(log.messages()).allSatisfy(line -> assertThat(line)
                .contains("esdb-record-stream-id=l2-orders-1")
                .doesNotContain("Body")
                .doesNotContain("\"n\""));
        assertThat(log.messages().get(1)).contains("esdb-record-stream-revision=1");
    }

    @Test
    void atDebugOnlyWhenTheLoggerIsEnabledForDebug() throws Exception {
        server().append("l3-orders-1", numbered("OrderPlaced", 0, 2));
        LogCapture debug = capture("connectors.test.l3.debug", Level.DEBUG);
        LogCapture info = capture("connectors.test.l3.info", Level.INFO);

        CamelContext enabled = logger("l3-enabled", "l3-", "connectors.test.l3.debug", "logLevel", "DEBUG");
        CamelContext disabled = logger("l3-disabled", "l3-", "connectors.test.l3.info", "logLevel", "DEBUG");
        await().atMost(WAIT).until(() -> debug.events().size() >= 2);
        assertThat(debug.events())
                .hasSize(2)
                .extracting(ILoggingEvent::getLevel)
                .containsOnly(Level.DEBUG);

        // the other connector processed both events, and logged nothing
        SubscriptionPosition last = Connectors.positionOf(client(), "l3-orders-1", 1);
        await().atMost(WAIT).until(() -> {
            SubscriptionPosition processed = consumer(disabled, "l3-disabled").getProcessedPosition();
            return processed != null && processed.compareTo(last) >= 0;
        });
        assertThat(info.events()).isEmpty();
        assertThat(consumer(enabled, "l3-enabled").getDeliveredCount()).isEqualTo(2);
        assertThat(consumer(disabled, "l3-disabled").getDeliveredCount()).isEqualTo(2);
    }

    // ---- connectors defined outside Java ----

    @Test
    void aConnectorDefinedInYaml() throws Exception {
        server().append("l4-orders-1", numbered("OrderPlaced", 0, 2));
        LogCapture log = capture("connectors.test.yaml", null);
        String yaml =
                """
                - templatedRoute:
                    routeTemplateRef: eventstore-logger-sink
                    routeId: yaml-orders
                    parameters:
                      - name: connectionString
                        value: "%s"
                      - name: initialPosition
                        value: earliest
                      - name: streamNamePrefixes
                        value: l4-
                      - name: logCategory
                        value: connectors.test.yaml
                      - name: logLevel
                        value: WARN
                      - name: defaultHeaders
                        value: "source=yaml"
                """
                        .formatted(server().connectionString());
        CamelContext context = closeAfterTest(new DefaultCamelContext());
        context.addRoutes(new ConnectorTemplates());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("connectors.yaml", yaml));
        context.start();

        await().atMost(WAIT).until(() -> log.events().size() >= 2);
        assertThat(context.getRoute("yaml-orders")).isNotNull();
        assertThat(log.events()).hasSize(2).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
        assertThat(log.messages()).allSatisfy(line -> assertThat(line)
                .contains("esdb-connector-id=yaml-orders", "source=yaml", "esdb-record-stream-id=l4-orders-1"));
        assertThat(log.messages().get(1)).endsWith("Body: {\"n\":1}]");
    }

    /** The same connector in each spelling of the properties camel-main accepts. */
    @ParameterizedTest
    @CsvSource({"camel.routeTemplate, props-orders, l5-", "camel.route-template, kebab-orders, l6-"})
    void aConnectorDefinedByCamelMainProperties(String prefix, String id, String streams) throws Exception {
        boolean kebabCase = prefix.contains("-");
        server().append(streams + "orders-1", numbered("OrderPlaced", 0, 2));
        LogCapture log = capture("connectors.test." + id, null);
        Main main = new Main();
        main.configure().addRoutesBuilder(new ConnectorTemplates());
        parameters(
                        "templateId",
                        ConnectorTemplates.LOGGER,
                        "connectionString",
                        server().connectionString(),
                        "initialPosition",
                        "earliest",
                        "streamNamePrefixes",
                        streams,
                        "logCategory",
                        "connectors.test." + id,
                        "includeRecordData",
                        "false",
                        "defaultHeaders",
                        "a=b")
                .forEach((name, value) ->
                        main.addInitialProperty(prefix + "[" + id + "]." + (kebabCase ? kebab(name) : name), value));
        main.start();
        closeAfterTest((AutoCloseable) main::stop);

        await().atMost(WAIT).until(() -> log.events().size() >= 2);
        assertThat(main.getCamelContext().getRoute(id)).isNotNull();
        assertThat(log.events()).hasSize(2).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        assertThat(log.messages()).allSatisfy(line -> assertThat(line)
                .contains("esdb-connector-id=" + id, "esdb-record-stream-id=" + streams + "orders-1", "a=b")
                .doesNotContain("Body"));
    }

    /** {@code camelCase} as {@code camel-case}. */
    private static String kebab(String name) {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
