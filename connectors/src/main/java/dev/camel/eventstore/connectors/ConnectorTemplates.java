package dev.camel.eventstore.connectors;

import dev.camel.eventstore.EventStoreConfiguration;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * The three connectors as route templates: {@value #LOGGER} ({@link LoggerSinkTemplate}), {@value #HTTP} ({@link
 * HttpSinkTemplate}) and {@value #KAFKA} ({@link KafkaSinkTemplate}), with the settings each declares and their
 * defaults. Each is the {@code eventstore:} consumer, resumable through its own checkpoint store, then header,
 * filter and transform steps, then Camel's {@code log:}, {@code http:} or {@code kafka:} endpoint.
 *
 * <p>This builder adds all three, and needs camel-http and camel-kafka (optional dependencies of this library) for
 * connectors of those two; an application that embeds one connector adds that template's own builder instead. Add
 * a builder to a CamelContext (the connectors application adds this one), then create connectors from Java
 * ({@code TemplatedRouteBuilder}), YAML ({@code - templatedRoute: {routeTemplateRef: eventstore-kafka-sink, routeId:
 * orders, parameters: ...}}) or properties ({@code camel.routeTemplate[orders].templateId=eventstore-kafka-sink}).
 * The route id is the connector id and its checkpoint key.
 */
public class ConnectorTemplates extends RouteBuilder {
    public static final String LOGGER = "eventstore-logger-sink";
    public static final String HTTP = "eventstore-http-sink";
    public static final String KAFKA = "eventstore-kafka-sink";

    /** A template parameter: its name, default ({@code null} when optional or required) and meaning. */
    public record Parameter(String name, String defaultValue, boolean required, String description) {
        static Parameter required(String name, String description) {
            return new Parameter(name, null, true, description);
        }

        static Parameter optional(String name, String description) {
            return new Parameter(name, null, false, description);
        }

        static Parameter withDefault(String name, String defaultValue, String description) {
            return new Parameter(name, defaultValue, false, description);
        }

        /** A setting whose default is the component's or the strategy's constant. */
        static Parameter withDefault(String name, long defaultValue, String description) {
            return withDefault(name, String.valueOf(defaultValue), description);
        }

        static Parameter withDefault(String name, boolean defaultValue, String description) {
            return withDefault(name, String.valueOf(defaultValue), description);
        }
    }

    /** The settings every connector has. */
    public static final List<Parameter> COMMON = List.of(
            Parameter.required(
                    "connectionString", "EventStoreDB connection string, e.g. esdb://localhost:2113?tls=false"),
            Parameter.withDefault(
                    "stream", "$all", "Stream to read: $all, or one stream (EventStoreDB's streamId filter)"),
            // EventStoreDB's connectors start at the end when no checkpoint exists: not the component's default
            Parameter.withDefault(
                    "initialPosition",
                    "latest",
                    "Where to start when no checkpoint exists: earliest, latest, or a position to start after"
                            + " (<commit>/<prepare> or <commit> in $all; a revision when stream is one stream)"),
            Parameter.optional("streamNamePrefixes", "Stream-scope prefix filter (comma-separated), on the server"),
            Parameter.optional("streamNameRegex", "Stream-scope regex filter, on the server"),
            Parameter.optional("eventTypePrefixes", "Record-scope prefix filter (comma-separated), on the server"),
            Parameter.optional("eventTypeRegex", "Record-scope regex filter, on the server"),
            Parameter.withDefault(
                    "excludeSystemEvents",
                    EventStoreConfiguration.DEFAULT_EXCLUDE_SYSTEM_EVENTS,
                    "Leave out events whose type starts with $"),
            Parameter.optional("filterJsonPath", "Record-scope JSONPath filter on the event data (JSON only)"),
            Parameter.withDefault(
                    "resolveLinkTos",
                    EventStoreConfiguration.DEFAULT_RESOLVE_LINK_TOS,
                    "Resolve link events to the events they point to"),
            Parameter.withDefault("transformLanguage", "simple", "Camel language of transformExpression"),
            Parameter.optional("transformExpression", "Expression whose result becomes the outgoing body"),
            Parameter.withDefault("checkpointStore", "eventstore", "Where checkpoints are stored: eventstore or kafka"),
            Parameter.withDefault(
                    "checkpointInterval",
                    EventStoreResumeStrategy.DEFAULT_CHECKPOINT_INTERVAL,
                    "Write the checkpoint at least this often (ms)"),
            Parameter.withDefault(
                    "checkpointRecordsThreshold",
                    EventStoreResumeStrategy.DEFAULT_CHECKPOINT_RECORDS_THRESHOLD,
                    "Write the checkpoint after this many records"),
            Parameter.withDefault(
                    "checkpointStreamPrefix",
                    EventStoreResumeStrategy.DEFAULT_CHECKPOINT_STREAM_PREFIX,
                    "eventstore store: stream = prefix + connector id"),
            Parameter.optional("checkpointKafkaBootstrapServers", "kafka store: bootstrap servers"),
            Parameter.withDefault(
                    "checkpointKafkaTopic", "eventstore-connector-checkpoints", "kafka store: offsets topic"),
            Parameter.withDefault(
                    "retryInitialDelay",
                    EventStoreConfiguration.DEFAULT_RETRY_INITIAL_DELAY,
                    "First delay before a failed delivery is retried (ms)"),
            Parameter.withDefault(
                    "retryMaxDelay",
                    EventStoreConfiguration.DEFAULT_RETRY_MAX_DELAY,
                    "Longest delay between retries (ms)"),
            Parameter.withDefault(
                    "retryMaxAttempts",
                    EventStoreConfiguration.DEFAULT_RETRY_MAX_ATTEMPTS,
                    "Attempts before the connector stops (or dead-letters); 0 = forever"),
            Parameter.optional("deadLetterUri", "Camel endpoint for events that cannot be delivered"),
            Parameter.withDefault("ignoreSystemHeaders", "true", "Leave $-prefixed user metadata out of the headers"),
            Parameter.optional("defaultHeaders", "Extra headers on every message: Name=value,Name2=value2"));

    public static final List<Parameter> LOGGER_PARAMETERS = List.of(
            Parameter.withDefault("logLevel", "INFO", "TRACE, DEBUG, INFO, WARN, ERROR or OFF"),
            Parameter.withDefault("includeRecordData", "true", "Log the event data, not only its headers"),
            Parameter.withDefault("logCategory", "dev.camel.eventstore.connectors.logger", "Logger name"),
            Parameter.withDefault(
                    "maxInFlight", EventStoreConfiguration.DEFAULT_MAX_IN_FLIGHT, "Exchanges in flight at once"));

    public static final List<Parameter> KAFKA_PARAMETERS = List.of(
            Parameter.required("topic", "Kafka topic"),
            Parameter.withDefault("bootstrapServers", "localhost:9092", "Kafka bootstrap servers"),
            Parameter.withDefault(
                    "keyExtraction",
                    "none",
                    "Record key: none, stream, streamSuffix (after the last -), regex (capture group of keyExpression"
                            + " on the stream), headers (values of the comma-separated headers in keyExpression,"
                            + " joined with -)"),
            Parameter.optional("keyExpression", "Regex (keyExtraction=regex) or header names (keyExtraction=headers)"),
            Parameter.withDefault(
                    "acks",
                    "all",
                    "Broker acknowledgements before a send counts: all (or -1), 1, or 0 (none: no delivery"
                            + " guarantee); 1 and 0 need idempotence=false"),
            Parameter.withDefault(
                    "idempotence",
                    "true",
                    "Idempotent producer (no duplicates or reordering from producer retries); needs acks=all or -1"),
            Parameter.withDefault("compression", "none", "none, gzip, snappy, lz4 or zstd"),
            Parameter.withDefault("lingerMs", "1", "Time Kafka waits to batch records (ms)"),
            Parameter.withDefault(
                    "producerBatchSize",
                    "262144",
                    "Largest batch of records per partition, in bytes (Kafka's batch.size, 16384 by default there)"),
            Parameter.withDefault("securityProtocol", "PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
            Parameter.withDefault(
                    "saslMechanism", "PLAIN", "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER"),
            Parameter.optional("saslJaasConfig", "JAAS login line for SASL (a secret)"),
            Parameter.optional("sslTruststoreLocation", "Trust store file for SSL"),
            Parameter.optional("sslTruststorePassword", "Trust store password (a secret)"),
            Parameter.withDefault("maxInFlight", "1000", "Exchanges in flight at once (pipelined sends)"));

    public static final List<Parameter> HTTP_PARAMETERS = List.of(
            Parameter.required(
                    "url", "Where events go; {stream}, {event-type} and {schema-subject} are filled in per event"),
            Parameter.withDefault("method", "POST", "POST, PUT or PATCH"),
            Parameter.withDefault("authMethod", "none", "none, basic (username, password) or bearer (token)"),
            Parameter.optional("username", "Basic authentication user"),
            Parameter.optional("password", "Basic authentication password (a secret)"),
            Parameter.optional("token", "Bearer token (a secret)"),
            Parameter.optional("sslTruststoreLocation", "Trust store (file or classpath:) for https:// URLs"),
            Parameter.optional("sslTruststorePassword", "Trust store password (a secret)"),
            Parameter.withDefault("connectTimeout", "10000", "Time to connect (ms)"),
            Parameter.withDefault("responseTimeout", "30000", "Time to wait for the answer (ms)"),
            Parameter.withDefault(
                    "successStatusCodes", "200-299", "Status codes that count as delivered, e.g. 200-299,409"),
            Parameter.withDefault(
                    "maxInFlight",
                    EventStoreConfiguration.DEFAULT_MAX_IN_FLIGHT,
                    "Requests in flight at once; more than 1 keeps order per stream, not across streams"),
            Parameter.withDefault("batchSize", "1", "Events per request (a JSON array) when above 1"),
            Parameter.withDefault("batchTimeout", "1000", "Longest time a batch waits to fill (ms)"));

    @Override
    public void configure() {
        for (SinkTemplate template :
                List.of(new LoggerSinkTemplate(), new HttpSinkTemplate(), new KafkaSinkTemplate())) {
            template.addTo(this);
        }
    }
}
