package dev.camel.eventstore.examples.embedded;

import org.apache.camel.builder.RouteBuilder;

/**
 * The application as it was before it used EventStoreDB: a checkout route that accepts orders (a {@code Map} body
 * with {@code orderId}, {@code customerId}, {@code items}, {@code total}). Only its last line is new.
 */
public class CheckoutRoutes extends RouteBuilder {
    @Override
    public void configure() {
        from("direct:checkout")
                .routeId("checkout")
                .log("Checkout: order ${body[orderId]} accepted, ${body[total]} EUR")
                .to("direct:order-placed"); // new: record the accepted order as an event (OrderEventRoutes)
    }
}
