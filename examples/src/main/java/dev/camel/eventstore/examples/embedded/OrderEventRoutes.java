package dev.camel.eventstore.examples.embedded;

import dev.camel.eventstore.EventStoreConstants;
import org.apache.camel.builder.RouteBuilder;

/**
 * What the application adds to work with EventStoreDB: a producer route appending each accepted order as an {@code
 * OrderPlaced} event, and a consumer route reacting to every order event, its own and those other services write.
 * The beans they name ({@code eventStoreClient}, {@code checkpoints}) are bound by {@link EmbeddedExample}.
 */
public class OrderEventRoutes extends RouteBuilder {
    @Override
    public void configure() {
        // producer: one stream per order, order-<id>; the headers override the URI's stream and give the type
        from("direct:order-placed")
                .routeId("append-order-placed")
                .setHeader(EventStoreConstants.STREAM, simple("order-${body[orderId]}"))
                .setHeader(EventStoreConstants.EVENT_TYPE, constant("OrderPlaced"))
                // a placed order starts its stream: placing the same order twice fails
                .setHeader(EventStoreConstants.EXPECTED_REVISION, constant("no_stream"))
                .setHeader(EventStoreConstants.METADATA, simple("{\"correlationId\":\"${header.correlationId}\"}"))
                .marshal()
                .json()
                .to("eventstore:orders?client=#eventStoreClient") // the application's shared client
                .log("Appended ${header.CamelEventStoreEventType} to ${header.CamelEventStoreStream}"
                        + " at revision ${header.CamelEventStoreNextExpectedRevision}");

        // consumer: its own client from the component's connection string, which it replaces after an outage
        from("eventstore:$all?streamNamePrefixes=order-")
                .routeId("order-dashboard")
                .resumable("checkpoints")
                .convertBodyTo(String.class)
                .log("Dashboard: ${header.CamelEventStoreEventType} in ${header.CamelEventStoreStreamId}"
                        + " at ${header.CamelEventStorePosition}: ${body}");
    }
}
