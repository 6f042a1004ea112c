package dev.camel.eventstore.examples.ha;

import org.apache.camel.builder.RouteBuilder;

/**
 * The order audit trail: every event of the {@code order-*} streams, logged in log order, on one replica at a time.
 * {@code master:order-audit:} runs the {@code eventstore:} consumer only on the replica elected by the CamelContext's
 * cluster service in the namespace {@code order-audit}; on the others the route is started but its consumer is not
 * created, so it neither reads nor loads (and claims) the checkpoint until it is elected.
 */
public class OrderAuditRoute extends RouteBuilder {
    @Override
    public void configure() {
        // the checkpoint key is the route's id: checkpoints go to the stream camel-checkpoint-order-audit
        from("master:order-audit:eventstore:$all?streamNamePrefixes=order-")
                .routeId("order-audit")
                .resumable("checkpoints") // the EventStoreResumeStrategy bean, handed to the consumer once elected
                .log("{{ha.replica-id}} audits ${header.CamelEventStoreStreamId} ${header.CamelEventStoreEventType}"
                        + " at ${header.CamelEventStorePosition}");
    }
}
