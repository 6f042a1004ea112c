package dev.camel.eventstore.examples.eip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConstants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * What the warehouse needs to ship an order: the {@code OrderPlaced} event's order id and items, enriched from the
 * event's metadata (the checkout's correlation id) and from the consumer's headers (when and where it was written).
 */
public record ShipmentRequest(String orderId, JsonNode items, String correlationId, String placedAt, String source) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Transforms an {@code OrderPlaced} event's data, given with the exchange's headers. */
    public static ShipmentRequest of(JsonNode order, Map<String, Object> headers) {
        return new ShipmentRequest(
                order.path("orderId").asText(),
                order.path("items"),
                correlationId((byte[]) headers.get(EventStoreConstants.METADATA)),
                String.valueOf(headers.get(EventStoreConstants.CREATED)),
                headers.get(EventStoreConstants.STREAM_ID) + "@" + headers.get(EventStoreConstants.REVISION));
    }

    /** The {@code correlationId} of the user metadata (JSON), or {@code null} when it has none. */
    private static String correlationId(byte[] metadata) {
        try {
            return JSON.readTree(metadata).path("correlationId").asText(null);
        } catch (IOException e) {
            throw new UncheckedIOException("The event's metadata is not JSON", e);
        }
    }
}
