package dev.camel.eventstore.connectors;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The three connectors as route templates: {@value #LOGGER}, {@value #HTTP} and {@value #KAFKA}. Each is the
 * {@code eventstore:} consumer, resumable through its own checkpoint store, then header, filter and transform
 * steps, then Camel's {@code log:}, {@code http:} or {@code kafka:} endpoint.
 *
 * <p>Add this builder to a CamelContext (the connectors application does), then create connectors from Java
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
    }

    /** The settings every connector has. */
    public static final List<Parameter> COMMON = List.of(
            Parameter.required(
                    "connectionString", "EventStoreDB connection string, e.g. esdb://localhost:2113?tls=false"),
            Parameter.withDefault(
                    "stream", "$all", "Stream to read: $all, or one stream (EventStoreDB's streamId filter)"),
            Parameter.withDefault(
                    "initialPosition",
                    "latest",
                    "Where to start when no checkpoint exists: earliest, latest, or a position to start after"
                            + " (<commit>/<prepare> or <commit> in $all; a revision when stream is one stream)"),
            Parameter.optional("streamNamePrefixes", "Stream-scope prefix filter (comma-separated), on the server"),
            Parameter.optional("streamNameRegex", "Stream-scope regex filter, on the server"),
            Parameter.optional("eventTypePrefixes", "Record-scope prefix filter (comma-separated), on the server"),
            Parameter.optional("eventTypeRegex", "Record-scope regex filter, on the server"),
            Parameter.withDefault("excludeSystemEvents", "true", "Leave out events whose type starts with $"),
            Parameter.optional("filterJsonPath", "Record-scope JSONPath filter on the event data (JSON only)"),
            Parameter.withDefault("resolveLinkTos", "false", "Resolve link events to the events they point to"),
            Parameter.withDefault("transformLanguage", "simple", "Camel language of transformExpression"),
            Parameter.optional("transformExpression", "Expression whose result becomes the outgoing body"),
            Parameter.withDefault("checkpointStore", "eventstore", "Where checkpoints are stored: eventstore or kafka"),
            Parameter.withDefault("checkpointInterval", "5000", "Write the checkpoint at least this often (ms)"),
            Parameter.withDefault("checkpointRecordsThreshold", "1000", "Write the checkpoint after this many records"),
            Parameter.withDefault(
                    "checkpointStreamPrefix", "camel-checkpoint-", "eventstore store: stream = prefix + connector id"),
            Parameter.optional("checkpointKafkaBootstrapServers", "kafka store: bootstrap servers"),
            Parameter.withDefault(
                    "checkpointKafkaTopic", "eventstore-connector-checkpoints", "kafka store: offsets topic"),
            Parameter.withDefault("retryInitialDelay", "1000", "First delay before a failed delivery is retried (ms)"),
            Parameter.withDefault("retryMaxDelay", "60000", "Longest delay between retries (ms)"),
            Parameter.withDefault(
                    "retryMaxAttempts", "0", "Attempts before the connector stops (or dead-letters); 0 = forever"),
            Parameter.optional("deadLetterUri", "Camel endpoint for events that cannot be delivered"),
            Parameter.withDefault("ignoreSystemHeaders", "true", "Leave $-prefixed user metadata out of the headers"),
            Parameter.optional("defaultHeaders", "Extra headers on every message: Name=value,Name2=value2"));

    public static final List<Parameter> LOGGER_PARAMETERS = List.of(
            Parameter.withDefault("logLevel", "INFO", "TRACE, DEBUG, INFO, WARN, ERROR or OFF"),
            Parameter.withDefault("includeRecordData", "true", "Log the event data, not only its headers"),
            Parameter.withDefault("logCategory", "dev.camel.eventstore.connectors.logger", "Logger name"),
            Parameter.withDefault("maxInFlight", "1", "Exchanges in flight at once"));

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
            Parameter.withDefault("lingerMs", "5", "Time Kafka waits to batch records (ms)"),
            Parameter.withDefault("securityProtocol", "PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
            Parameter.withDefault(
                    "saslMechanism", "PLAIN", "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER"),
            Parameter.optional("saslJaasConfig", "JAAS login line for SASL (a secret)"),
            Parameter.optional("sslTruststoreLocation", "Trust store file for SSL"),
            Parameter.optional("sslTruststorePassword", "Trust store password (a secret)"),
            Parameter.withDefault("maxInFlight", "100", "Exchanges in flight at once (pipelined sends)"));

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
                    "1",
                    "Requests in flight at once; more than 1 keeps order per stream, not across streams"),
            Parameter.withDefault("batchSize", "1", "Events per request (a JSON array) when above 1"),
            Parameter.withDefault("batchTimeout", "1000", "Longest time a batch waits to fill (ms)"));

    @Override
    public void configure() {
        logger();
        http();
        kafka();
    }

    private void logger() {
        common(routeTemplate(LOGGER), LOGGER_PARAMETERS, "")
                // the log shows the esdb-record-* headers; the consumer's own headers would repeat them
                .process(ConnectorTemplates::removeConsumerHeaders)
                .to("log:{{logCategory}}?level={{logLevel}}&showBody={{includeRecordData}}&showHeaders=true"
                        + "&showBodyType=false&showExchangePattern=false")
                .doCatch(Exception.class)
                .process("{{deadLetter}}")
                .end();
    }

    private void http() {
        RouteTemplateDefinition template = routeTemplate(HTTP);
        template.templateBean("httpSink", Processor.class, rtc -> {
            ConnectorSettings s = new ConnectorSettings(rtc);
            HttpTarget target = HttpTarget.create(rtc.getCamelContext(), s);
            int maxInFlight = s.integer("maxInFlight", 1, 1);
            int batchSize = s.integer("batchSize", 1, 1);
            if (batchSize == 1) {
                return new HttpSink(rtc.getCamelContext(), target, maxInFlight);
            }
            if (maxInFlight < batchSize) {
                throw ConnectorSettings.invalid(
                        "maxInFlight",
                        "must be at least batchSize (" + batchSize + ") for batches to fill; 2 x batchSize lets the"
                                + " next batch fill while one is sent");
            }
            return new HttpBatchSink(rtc.getCamelContext(), target, batchSize, s.millis("batchTimeout", 1000));
        });
        // one request per event with several in flight: the consumer keeps each stream's events in order
        template.templateBean("orderPerStream", Boolean.class, rtc -> {
            ConnectorSettings s = new ConnectorSettings(rtc);
            return s.integer("batchSize", 1, 1) == 1 && s.integer("maxInFlight", 1, 1) > 1;
        });
        common(template, HTTP_PARAMETERS, "&oneInFlightPerStream=#{{orderPerStream}}")
                .process("{{httpSink}}")
                .doCatch(Exception.class)
                .process("{{deadLetter}}")
                .end();
    }

    private void kafka() {
        RouteTemplateDefinition template = routeTemplate(KAFKA);
        template.templateBean("kafkaKey", KafkaKey.class, rtc -> KafkaKey.create(new ConnectorSettings(rtc)));
        template.templateBean("kafkaHeaderFilter", HeaderFilterStrategy.class, rtc -> kafkaHeaderFilter());
        // the settings check accepts these in other spellings (EventStoreDB's Zstd, saslSsl, scramSha256) that Kafka
        // refuses, naming its own config rather than the setting: the endpoint gets the matched choice as Kafka
        // spells it (ConnectorSettings.choice, as the HTTP sink gets its method), as a bean, since a template
        // parameter's placeholder gives the text as written. A String option takes a bean with #bean: (a plain #name
        // is passed on as text)
        for (String option : List.of("acks", "compression", "securityProtocol", "saslMechanism")) {
            template.templateBean(
                    "kafka" + Character.toUpperCase(option.charAt(0)) + option.substring(1),
                    String.class,
                    rtc -> SettingsCheck.value(new ConnectorSettings(rtc), option));
        }
        common(template, KAFKA_PARAMETERS, "")
                .process("{{kafkaKey}}")
                .to("kafka:{{topic}}?brokers={{bootstrapServers}}&requestRequiredAcks=#bean:{{kafkaAcks}}"
                        // one thread continues the exchanges Kafka acknowledged, in the order it acknowledged them:
                        // camel-kafka's default pool (10 to 20 threads) spread the completions of one acknowledged
                        // batch over many threads, each woken for one event: two thirds more CPU per event there
                        + "&workerPoolCoreSize=1&workerPoolMaxSize=1&headerFilterStrategy=#{{kafkaHeaderFilter}}"
                        + "&enableIdempotence={{idempotence}}&compressionCodec=#bean:{{kafkaCompression}}"
                        + "&lingerMs={{lingerMs}}&securityProtocol=#bean:{{kafkaSecurityProtocol}}"
                        + "&saslMechanism=#bean:{{kafkaSaslMechanism}}"
                        + "&saslJaasConfig={{?saslJaasConfig}}&sslTruststoreLocation={{?sslTruststoreLocation}}"
                        + "&sslTruststorePassword={{?sslTruststorePassword}}"
                        // the body is the event's bytes: a String serializer would mangle binary data
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .doCatch(Exception.class)
                .process("{{deadLetter}}")
                .end();
    }

    /**
     * Declares the common parameters and local beans, and builds the route up to the sink: returns the open
     * {@code doTry} block the sink goes into.
     */
    static org.apache.camel.model.TryDefinition common(
            RouteTemplateDefinition template, List<Parameter> own, String consumerOptions) {
        for (Parameter p : COMMON) {
            declare(template, p);
        }
        for (Parameter p : own) {
            declare(template, p);
        }
        template.configure(new SettingsCheck(template.getId(), COMMON, own));
        template.templateBean(
                "checkpoints", ResumeStrategy.class, rtc -> Checkpoints.create(new ConnectorSettings(rtc)));
        template.templateBean(
                "recordFilter",
                RecordFilter.class,
                rtc -> new RecordFilter(rtc.getCamelContext(), new ConnectorSettings(rtc).optional("filterJsonPath")));
        template.templateBean("recordTransform", RecordTransform.class, rtc -> {
            ConnectorSettings s = new ConnectorSettings(rtc);
            return new RecordTransform(
                    rtc.getCamelContext(), s.string("transformLanguage", "simple"), s.optional("transformExpression"));
        });
        template.templateBean("recordHeaders", RecordHeaders.class, rtc -> {
            ConnectorSettings s = new ConnectorSettings(rtc);
            return new RecordHeaders(s.pairs("defaultHeaders"), s.bool("ignoreSystemHeaders", true));
        });
        template.templateBean("deadLetter", DeadLetter.class, rtc -> {
            ConnectorSettings s = new ConnectorSettings(rtc);
            String uri = s.optional("deadLetterUri");
            int attempts = s.integer("retryMaxAttempts", 0, 0);
            if (uri != null && attempts == 0) {
                throw ConnectorSettings.invalid(
                        "deadLetterUri",
                        "needs retryMaxAttempts > 0 (after how many attempts an event is dead-lettered)");
            }
            return new DeadLetter(uri, attempts);
        });
        RouteDefinition route = template.from("eventstore:{{stream}}?connectionString=RAW({{connectionString}})"
                + "&initialPosition={{initialPosition}}&excludeSystemEvents={{excludeSystemEvents}}"
                // RAW: a regex's + and & must reach the consumer as written
                + "&streamNamePrefixes=RAW({{?streamNamePrefixes}})&streamNameRegex=RAW({{?streamNameRegex}})"
                + "&eventTypePrefixes=RAW({{?eventTypePrefixes}})&eventTypeRegex=RAW({{?eventTypeRegex}})"
                + "&resolveLinkTos={{resolveLinkTos}}&maxInFlight={{maxInFlight}}"
                + "&retryInitialDelay={{retryInitialDelay}}&retryMaxDelay={{retryMaxDelay}}"
                + "&retryMaxAttempts={{retryMaxAttempts}}" + consumerOptions);
        // filter and transform inside the try: an event they cannot process goes to the dead-letter endpoint, and
        // the esdb-record-* headers come first so that it arrives there saying which event it is (an HTTP or Kafka
        // dead-letter endpoint drops the consumer's own Camel* headers)
        return route.resumable("{{checkpoints}}")
                .doTry()
                .process("{{recordHeaders}}")
                .process("{{recordFilter}}")
                .process("{{recordTransform}}");
    }

    /**
     * camel-kafka's header filter (no {@code Camel*}, {@code camel*}, {@code org.apache.camel.*} or {@code kafka.*}
     * header becomes a record header) without its second, lower-cased comparison of every other header: the
     * connector's own headers have exactly those prefixes, and lower-casing each esdb-* header name of each event
     * took a tenth of the dispatching thread's profile samples.
     */
    private static HeaderFilterStrategy kafkaHeaderFilter() {
        KafkaHeaderFilterStrategy filter = new KafkaHeaderFilterStrategy();
        filter.setLowerCase(false);
        return filter;
    }

    private static final String CONSUMER_HEADER_PREFIX = "CamelEventStore";

    /**
     * Removes the {@code CamelEventStore*} headers, as {@code removeHeaders("CamelEventStore*")} would: Camel matches
     * such a pattern against every header as a wildcard and then as a regex it compiles anew for each header, which
     * took a third of the logger connector's dispatching thread.
     */
    static void removeConsumerHeaders(Exchange exchange) {
        exchange.getMessage()
                .getHeaders()
                .keySet()
                .removeIf(name ->
                        name.regionMatches(true, 0, CONSUMER_HEADER_PREFIX, 0, CONSUMER_HEADER_PREFIX.length()));
    }

    private static void declare(RouteTemplateDefinition template, Parameter p) {
        if (p.required()) {
            template.templateParameter(p.name(), null, p.description());
        } else if (p.defaultValue() == null) {
            template.templateOptionalParameter(p.name(), p.description());
        } else {
            template.templateParameter(p.name(), p.defaultValue(), p.description());
        }
    }
}
