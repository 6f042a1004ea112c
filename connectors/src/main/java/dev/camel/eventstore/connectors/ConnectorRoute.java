package dev.camel.eventstore.connectors;

import dev.camel.eventstore.connectors.ConnectorTemplates.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.resume.ResumeStrategy;

/**
 * What every connector template has: the common parameters and its own, the settings check, the local beans
 * (checkpoint store, headers, filter, transform, dead letter) and the route up to the sink.
 */
final class ConnectorRoute {
    private static final String CONSUMER_HEADER_PREFIX = "CamelEventStore";

    private final RouteTemplateDefinition template;
    private final List<Parameter> parameters = new ArrayList<>(ConnectorTemplates.COMMON);

    /**
     * Declares the template's parameters (the common ones and {@code own}) and its settings check, which first
     * checks that {@code sink} is on the class path.
     */
    ConnectorRoute(RouteTemplateDefinition template, List<Parameter> own, RequiredArtifact sink) {
        this.template = template;
        parameters.addAll(own);
        for (Parameter p : parameters) {
            declare(p);
        }
        template.configure(new SettingsCheck(template.getId(), parameters, sink));
    }

    /** A local bean of the template, made from the connector's settings when a connector is created. */
    <T> void bean(String name, Class<T> type, Function<ConnectorSettings, T> factory) {
        template.templateBean(name, type, rtc -> factory.apply(new ConnectorSettings(rtc, parameters)));
    }

    /**
     * Declares the common local beans and builds the route up to the sink: returns the open {@code doTry} block the
     * sink goes into.
     *
     * @param consumerOptions more {@code eventstore:} endpoint options, each starting with {@code &}
     * @param sinkFailures what the dead letter step makes of a sink's failure ({@link DeadLetter})
     */
    TryDefinition from(String consumerOptions, UnaryOperator<Exception> sinkFailures) {
        bean("checkpoints", ResumeStrategy.class, Checkpoints::create);
        bean("recordFilter", RecordFilter.class, s -> new RecordFilter(s.camelContext(), s.optional("filterJsonPath")));
        bean(
                "recordTransform",
                RecordTransform.class,
                s -> new RecordTransform(
                        s.camelContext(), s.string("transformLanguage"), s.optional("transformExpression")));
        bean(
                "recordHeaders",
                RecordHeaders.class,
                s -> new RecordHeaders(s.pairs("defaultHeaders"), s.bool("ignoreSystemHeaders")));
        bean("deadLetter", DeadLetter.class, s -> {
            String uri = s.optional("deadLetterUri");
            int attempts = s.integer("retryMaxAttempts", 0);
            if (uri != null && attempts == 0) {
                throw ConnectorSettings.invalid(
                        "deadLetterUri",
                        "needs retryMaxAttempts > 0 (after how many attempts an event is dead-lettered)");
            }
            return new DeadLetter(uri, attempts, sinkFailures);
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
        // no stream caching: the body is the event's bytes, and caching it (and resetting the cache when the
        // exchange completes) was a tenth of the time of the thread that completes the Kafka connector's exchanges
        return route.streamCache("false")
                .resumable("{{checkpoints}}")
                .doTry()
                .process("{{recordHeaders}}")
                .process("{{recordFilter}}")
                .process("{{recordTransform}}");
    }

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

    private void declare(Parameter p) {
        if (p.required()) {
            template.templateParameter(p.name(), null, p.description());
        } else if (p.defaultValue() == null) {
            template.templateOptionalParameter(p.name(), p.description());
        } else {
            template.templateParameter(p.name(), p.defaultValue(), p.description());
        }
    }
}
