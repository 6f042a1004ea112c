package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.add;
import static dev.camel.eventstore.connectors.Connectors.parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.DefaultRouteTemplateContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A connector's settings are checked when it is added, with messages naming the setting, and Kafka's choices reach
 * the endpoint as Kafka spells them whatever accepted spelling was given.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectorSettingsTest extends MockSinkConnectorTest {
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
     * KafkaSinkKeyAndOptionsTest sends through a producer configured so; SASL and SSL ones need a broker that has them.
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
        assertThat(SettingsCheck.value(new ConnectorSettings(template, ConnectorTemplates.KAFKA_PARAMETERS), setting))
                .isEqualTo(kafka);
    }

    @Test
    void anInvalidSettingFailsTheStartOfAContextTheConnectorWasAddedTo() throws Exception {
        CamelContext context = new DefaultCamelContext();
        closeAfterTest(context);
        context.addRoutes(new ConnectorTemplates());
        add(
                context,
                ConnectorTemplates.LOGGER,
                "bad",
                parameters("connectionString", server().connectionString(), "checkpointStore", "bogus"));
        assertThatThrownBy(context::start).satisfies(e -> assertThat(rootCause(e))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid connector setting 'checkpointStore': it must be one of eventstore,"
                        + " kafka, got 'bogus'"));
    }

    private void assertInvalid(CamelContext context, String template, String message, String... settings)
            throws Exception {
        Map<String, String> parameters = parameters("connectionString", server().connectionString());
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
}
