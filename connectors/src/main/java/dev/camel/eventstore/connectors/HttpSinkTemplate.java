package dev.camel.eventstore.connectors;

import java.util.function.UnaryOperator;
import org.apache.camel.Processor;
import org.apache.camel.model.TryDefinition;

/**
 * The HTTP connector's route template, {@value ConnectorTemplates#HTTP}: one request per event, or per batch, to a
 * URL. Needs {@code org.apache.camel:camel-http} (an optional dependency of this library) on the class path; without
 * it, creating a connector fails with a message naming it. Settings: {@link ConnectorTemplates#COMMON} and {@link
 * ConnectorTemplates#HTTP_PARAMETERS}.
 */
public class HttpSinkTemplate extends SinkTemplate {
    public HttpSinkTemplate() {
        super(ConnectorTemplates.HTTP, ConnectorTemplates.HTTP_PARAMETERS, RequiredArtifact.CAMEL_HTTP);
    }

    @Override
    TryDefinition sink(ConnectorRoute route) {
        route.bean("httpSink", Processor.class, HttpSinkTemplate::httpSink);
        // one request per event with several in flight: the consumer keeps each stream's events in order
        route.bean(
                "orderPerStream",
                Boolean.class,
                s -> s.integer("batchSize", 1) == 1 && s.integer("maxInFlight", 1) > 1);
        return route.from("&oneInFlightPerStream=#{{orderPerStream}}", UnaryOperator.identity())
                .process("{{httpSink}}");
    }

    private static Processor httpSink(ConnectorSettings s) {
        HttpTarget target = HttpTarget.create(s.camelContext(), s);
        int maxInFlight = s.integer("maxInFlight", 1);
        int batchSize = s.integer("batchSize", 1);
        if (batchSize == 1) {
            return new HttpSink(s.camelContext(), target, maxInFlight);
        }
        if (maxInFlight < batchSize) {
            throw ConnectorSettings.invalid(
                    "maxInFlight",
                    "must be at least batchSize (" + batchSize + ") for batches to fill; 2 x batchSize lets the"
                            + " next batch fill while one is sent");
        }
        return new HttpBatchSink(s.camelContext(), target, batchSize, s.millis("batchTimeout"));
    }
}
