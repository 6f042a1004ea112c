package dev.camel.eventstore;

import dev.camel.eventstore.consumer.ConsumerSettings;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Reads events from EventStoreDB with a catch-up subscription, or appends events to it.
 *
 * <p>The consumer subscribes to {@code $all} (with optional server-side filters) or to one stream, delivers each
 * event as an exchange whose body is the event data, in order, and records its position through the route's resume
 * strategy once the exchange has completed. The producer appends the body as one event, or a {@code List} body as
 * one batch.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "eventstore",
        title = "EventStoreDB",
        syntax = "eventstore:stream",
        category = {Category.DATABASE, Category.MESSAGING},
        headersClass = EventStoreConstants.class)
public class EventStoreEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {
    /** The stream name that stands for the global log. */
    public static final String ALL = "$all";

    @UriPath(description = "The stream to read or append to; $all (consumer only) is the global log.")
    @Metadata(required = true)
    private final String stream;

    @UriParam
    private EventStoreConfiguration configuration;

    public EventStoreEndpoint(
            String uri, EventStoreComponent component, String stream, EventStoreConfiguration configuration) {
        super(uri, component);
        this.stream = stream;
        this.configuration = configuration;
    }

    @Override
    public EventStoreComponent getComponent() {
        return (EventStoreComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        requireConnection();
        ConsumerSettings settings = ConsumerSettings.of(
                stream, configuration, configuration.getFailedExchangeAction() == FailedExchangeAction.STOP);
        EventStoreConsumer consumer = new EventStoreConsumer(this, processor, settings);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Several routes may read from the same endpoint: each consumer has its own subscription, position and checkpoint
     * key (its route id), so two connectors with the same source settings share nothing but the URI and the client
     * every user of the connection string shares. Without this Camel refuses to start the second route ("Multiple consumers for the same endpoint is not
     * allowed").
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() throws Exception {
        if (isAll()) {
            throw new IllegalArgumentException("Cannot append to $all: give the producer a stream name");
        }
        requireConnection();
        return new EventStoreProducer(this);
    }

    /**
     * Fails with a message naming the missing setting when neither a connection string nor a client is set, or
     * naming the connection string (without its credentials) when it is malformed.
     */
    void requireConnection() {
        if (!configuration.hasConnection()) {
            throw new IllegalArgumentException("The eventstore:" + stream + " endpoint needs a connectionString"
                    + " (e.g. esdb://localhost:2113?tls=false) or a client");
        }
        // a malformed connection string fails here, not later on the consumer's thread (a handle parses it, and
        // creates no client before its first use)
        configuration.handle();
    }

    public boolean isAll() {
        return ALL.equals(stream);
    }

    public String getStream() {
        return stream;
    }

    public EventStoreConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(EventStoreConfiguration configuration) {
        this.configuration = configuration;
    }
}
