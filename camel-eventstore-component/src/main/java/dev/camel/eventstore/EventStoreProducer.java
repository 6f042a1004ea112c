package dev.camel.eventstore;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.WriteResult;
import dev.camel.eventstore.client.ClientFailures;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.client.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Appends the body as one event, or a {@code List}/{@code Collection} body as one batch (atomically, in order), to
 * the endpoint's stream. Elements may be {@code byte[]}, {@code String}, anything Camel converts to {@code byte[]},
 * or ready-made {@link EventData}. The event type, id, content type, user metadata and expected revision come from
 * headers, else from the endpoint's options. After the append, {@link EventStoreConstants#NEXT_EXPECTED_REVISION}
 * and the log position are set as headers. A wrong expected revision fails the exchange with the client's {@code
 * WrongExpectedVersionException}.
 */
public class EventStoreProducer extends DefaultAsyncProducer {
    private final EventStoreConfiguration configuration;
    private final Credentials credentials;
    private ClientHandle connection;

    public EventStoreProducer(EventStoreEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        // fail at start-up, not at the first message, on an unparseable default
        ExpectedRevisions.parse(configuration.getExpectedRevision());
        if ((configuration.getUsername() == null) != (configuration.getPassword() == null)) {
            throw new IllegalArgumentException("Set both username and password, or neither");
        }
        this.credentials = configuration.credentials();
    }

    @Override
    public EventStoreEndpoint getEndpoint() {
        return (EventStoreEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = configuration.handle(getEndpoint().getCamelContext());
    }

    @Override
    protected void doStop() throws Exception {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getMessage();
        String stream;
        List<EventData> events;
        AppendToStreamOptions options;
        try {
            stream = in.getHeader(EventStoreConstants.STREAM, getEndpoint().getStream(), String.class);
            events = events(exchange, in);
            options = credentials.apply(AppendToStreamOptions.get()
                    .expectedRevision(ExpectedRevisions.parse(
                            in.getHeader(EventStoreConstants.EXPECTED_REVISION, configuration.getExpectedRevision()))));
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        ClientHandle handle = connection;
        EventStoreDBClient client;
        try {
            client = handle.client();
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        client.appendToStream(stream, options, events.iterator()).whenComplete((result, error) -> {
            try {
                if (error != null) {
                    // the client shut itself down after failing to reach the server: the next append gets a new one
                    handle.renewAfter(client, error);
                    exchange.setException(ClientFailures.unwrap(error));
                } else {
                    written(exchange.getMessage(), result);
                }
            } finally {
                callback.done(false);
            }
        });
        return false;
    }

    private List<EventData> events(Exchange exchange, Message in) throws InvalidPayloadException {
        Object body = in.getBody();
        String type = in.getHeader(EventStoreConstants.EVENT_TYPE, configuration.getEventType(), String.class);
        String contentType =
                in.getHeader(EventStoreConstants.CONTENT_TYPE, configuration.getContentType(), String.class);
        byte[] metadata = bytes(exchange, in.getHeader(EventStoreConstants.METADATA));
        if (body instanceof Collection<?> batch) {
            List<EventData> events = new ArrayList<>(batch.size());
            for (Object element : batch) {
                events.add(event(exchange, element, type, contentType, metadata, null));
            }
            if (events.isEmpty()) {
                throw new IllegalArgumentException("The body is an empty list: there is nothing to append");
            }
            return events;
        }
        String id = in.getHeader(EventStoreConstants.EVENT_ID, String.class);
        return List.of(event(exchange, body, type, contentType, metadata, id));
    }

    private static EventData event(
            Exchange exchange, Object body, String type, String contentType, byte[] metadata, String id)
            throws InvalidPayloadException {
        if (body instanceof EventData ready) {
            return ready;
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException(
                    "No event type: set the eventType option or the " + EventStoreConstants.EVENT_TYPE + " header");
        }
        byte[] data = bytes(exchange, body);
        if (data == null) {
            throw new InvalidPayloadException(exchange, byte[].class);
        }
        EventDataBuilder builder = "application/octet-stream".equals(contentType)
                ? EventDataBuilder.binary(type, data)
                : EventDataBuilder.json(type, data);
        if (id != null) {
            try {
                builder.eventId(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "The " + EventStoreConstants.EVENT_ID + " header '" + id + "' is not a UUID");
            }
        }
        if (metadata != null) {
            builder.metadataAsBytes(metadata);
        }
        return builder.build();
    }

    private static byte[] bytes(Exchange exchange, Object value) throws InvalidPayloadException {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        byte[] converted = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, value);
        if (converted == null) {
            throw new InvalidPayloadException(exchange, byte[].class, exchange.getMessage());
        }
        return converted;
    }

    private static void written(Message out, WriteResult result) {
        ExpectedRevision next = result.getNextExpectedRevision();
        out.setHeader(EventStoreConstants.NEXT_EXPECTED_REVISION, next.toRawLong());
        if (result.getLogPosition() != null) {
            out.setHeader(
                    EventStoreConstants.COMMIT_POSITION, result.getLogPosition().getCommitUnsigned());
            out.setHeader(
                    EventStoreConstants.PREPARE_POSITION,
                    result.getLogPosition().getPrepareUnsigned());
        }
    }
}
