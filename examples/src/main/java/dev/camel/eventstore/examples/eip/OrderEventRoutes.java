package dev.camel.eventstore.examples.eip;

import static dev.camel.eventstore.EventStoreConstants.EVENT_TYPE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConstants;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * Order events routed by type to three sinks, the orders transformed into {@link ShipmentRequest}s on the way, and
 * every event that fails kept in a dead-letter stream with the reason, while the route moves on.
 */
public class OrderEventRoutes extends RouteBuilder {
    // the sinks: log categories here, where an application would have kafka:, http:, jms: endpoints
    public static final String FULFILMENT = "log:orders.fulfilment?plain=true";
    public static final String BILLING = "log:orders.billing?plain=true";
    public static final String TRACKING = "log:orders.tracking?plain=true";

    /** Where events that fail are kept: their type and data as read, the reason in their metadata. */
    public static final String DEAD_LETTER_STREAM = "dead-letter-orders";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        // An event that fails is handed to the dead-letter route as it was read; once stored there, the event counts
        // as handled and the consumer stores its position. If storing it fails too, the exchange fails (no new
        // exception is handled) and the consumer delivers the event again: nothing is lost either way.
        errorHandler(deadLetterChannel("direct:dead-letter")
                .deadLetterHandleNewException(false)
                .useOriginalMessage());

        // content-based routing by event type
        from("eventstore:$all?streamNamePrefixes=order-")
                .routeId("order-events")
                .resumable("checkpoints")
                .choice()
                .when(header(EVENT_TYPE).isEqualTo("OrderPlaced"))
                .to("direct:fulfilment")
                .when(header(EVENT_TYPE).startsWith("Payment"))
                .to(BILLING)
                .otherwise()
                .to("direct:tracking");

        // transformation: the order becomes what the warehouse needs
        from("direct:fulfilment")
                .routeId("fulfilment")
                .unmarshal()
                .json(JsonNode.class) // data that is not JSON fails here
                .transform()
                .body(JsonNode.class, ShipmentRequest::of)
                .marshal()
                .json()
                .to(FULFILMENT);

        // filter: the tracking page shows what customers see; internal events such as FraudCheckCompleted are left
        // out (and their positions stored all the same)
        from("direct:tracking")
                .routeId("tracking")
                .filter(header(EVENT_TYPE).in("OrderShipped", "OrderDelivered", "OrderCancelled"))
                .to(TRACKING);

        // dead letters: kept in EventStoreDB; a failure here goes back to the error handler above, not around again
        from("direct:dead-letter")
                .routeId("dead-letter")
                .errorHandler(noErrorHandler())
                .log(
                        LoggingLevel.WARN,
                        "${header.CamelEventStoreEventType} of ${header.CamelEventStoreStreamId}"
                                + " dead-lettered: ${exception.message}")
                .process(OrderEventRoutes::describeFailure)
                .to("eventstore:" + DEAD_LETTER_STREAM);
    }

    /** Replaces the event's metadata by why it failed and where it was, for the dead letter to keep. */
    private static void describeFailure(Exchange exchange) throws JsonProcessingException {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message event = exchange.getMessage();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("reason", failure.getClass().getSimpleName() + ": " + failure.getMessage());
        metadata.put("stream", event.getHeader(EventStoreConstants.STREAM_ID));
        metadata.put("revision", event.getHeader(EventStoreConstants.REVISION));
        metadata.put("position", event.getHeader(EventStoreConstants.POSITION));
        event.setHeader(EventStoreConstants.METADATA, JSON.writeValueAsString(metadata));
    }
}
