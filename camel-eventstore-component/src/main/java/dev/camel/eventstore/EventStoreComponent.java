package dev.camel.eventstore;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * The {@code eventstore:} component: {@code eventstore:$all} or {@code eventstore:<stream>}. Options set on the
 * component are the defaults of every endpoint.
 */
@Component("eventstore")
public class EventStoreComponent extends HealthCheckComponent {

    @Metadata(description = "Default options of every endpoint")
    private EventStoreConfiguration configuration = new EventStoreConfiguration();

    public EventStoreComponent() {}

    public EventStoreComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException(
                    "The eventstore: endpoint needs a stream: eventstore:$all or eventstore:<stream name>");
        }
        EventStoreEndpoint endpoint = new EventStoreEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public EventStoreConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(EventStoreConfiguration configuration) {
        this.configuration = configuration;
    }
}
