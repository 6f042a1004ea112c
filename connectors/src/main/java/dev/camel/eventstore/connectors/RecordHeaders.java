package dev.camel.eventstore.connectors;

import com.eventstore.dbclient.RecordedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreMessage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Adds the headers EventStoreDB's connectors put on outgoing messages ({@code esdb-connector-id}, {@code
 * esdb-record-*}, user metadata as {@code esdb-record-headers-<name>}), then the connector's default headers.
 */
final class RecordHeaders implements Processor {
    static final String CONNECTOR_ID = "esdb-connector-id";
    static final String RECORD_ID = "esdb-record-id";
    static final String TIMESTAMP = "esdb-record-timestamp";
    static final String STREAM_ID = "esdb-record-stream-id";
    static final String STREAM_REVISION = "esdb-record-stream-revision";
    static final String LOG_POSITION = "esdb-record-log-position";
    static final String SCHEMA_SUBJECT = "esdb-record-schema-subject";
    static final String SCHEMA_TYPE = "esdb-record-schema-type";
    static final String METADATA_PREFIX = "esdb-record-headers-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> defaultHeaders;
    private final boolean ignoreSystemMetadata;

    RecordHeaders(Map<String, String> defaultHeaders, boolean ignoreSystemMetadata) {
        this.defaultHeaders = Map.copyOf(defaultHeaders);
        this.ignoreSystemMetadata = ignoreSystemMetadata;
    }

    @Override
    public void process(Exchange exchange) {
        // the fields come from the event, not from the consumer's headers: a route that never reads those never
        // builds them
        if (!(exchange.getIn() instanceof EventStoreMessage message)) {
            throw new IllegalStateException(
                    "The record headers are made from the event of an eventstore: consumer's exchange, and this"
                            + " exchange's message is a "
                            + exchange.getIn().getClass().getName());
        }
        RecordedEvent event = message.getEvent();
        exchange.setProperty(DeadLetter.ATTEMPT_PROPERTY, message.getDeliveryAttempt());
        message.setHeader(CONNECTOR_ID, exchange.getFromRouteId());
        message.setHeader(RECORD_ID, event.getEventId().toString());
        if (event.getCreated() != null) {
            message.setHeader(TIMESTAMP, InstantText.of(event.getCreated()));
        }
        message.setHeader(STREAM_ID, event.getStreamId());
        message.setHeader(STREAM_REVISION, Long.toString(event.getRevision()));
        message.setHeader(
                LOG_POSITION,
                Long.toUnsignedString(message.getResolvedEvent()
                        .getOriginalEvent()
                        .getPosition()
                        .getCommitUnsigned()));
        message.setHeader(SCHEMA_SUBJECT, event.getEventType());
        message.setHeader(SCHEMA_TYPE, "application/json".equals(event.getContentType()) ? "json" : "bytes");
        metadataHeaders(message, event.getUserMetadata());
        defaultHeaders.forEach(message::setHeader);
    }

    /** User metadata that is a JSON object becomes one header per field; other metadata is left alone. */
    private void metadataHeaders(Message message, byte[] metadata) {
        if (metadata == null || metadata.length == 0 || metadata[0] != '{') {
            return;
        }
        JsonNode object;
        try {
            object = JSON.readTree(metadata);
        } catch (IOException e) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (ignoreSystemMetadata && field.getKey().startsWith("$")) {
                continue;
            }
            JsonNode value = field.getValue();
            message.setHeader(
                    METADATA_PREFIX + field.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
    }
}
