package dev.camel.eventstore.connectors;

import dev.camel.eventstore.connectors.ConnectorTemplates.Parameter;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.TryDefinition;

/**
 * What the sink templates share: a route template with the common settings and the sink's own ({@link
 * ConnectorRoute}), whose failures at the sink go to the dead letter step. A template adds itself when added as a
 * route builder; {@link ConnectorTemplates} adds all of them to one builder.
 */
abstract class SinkTemplate extends RouteBuilder {
    private final String id;
    private final List<Parameter> parameters;
    private final RequiredArtifact sink;

    /**
     * @param parameters the sink's own settings
     * @param sink the artifact the sink's endpoint needs on the class path
     */
    SinkTemplate(String id, List<Parameter> parameters, RequiredArtifact sink) {
        this.id = id;
        this.parameters = parameters;
        this.sink = sink;
    }

    @Override
    public void configure() {
        addTo(this);
    }

    /** Adds the template to {@code builder}. */
    final void addTo(RouteBuilder builder) {
        ConnectorRoute route = new ConnectorRoute(builder.routeTemplate(id), parameters, sink);
        sink(route).doCatch(Exception.class).process("{{deadLetter}}").end();
    }

    /**
     * Declares the sink's own local beans and builds the route from {@link ConnectorRoute#from} through the sink.
     *
     * @return the {@code doTry} block the sink went into
     */
    abstract TryDefinition sink(ConnectorRoute route);
}
