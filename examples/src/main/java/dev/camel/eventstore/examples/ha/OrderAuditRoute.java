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
        // The checkpoint key is given: the eventstore: consumer, created by the master: one, does not know the
        // route's id, which it would take by default. Its checkpoints go to the stream camel-checkpoint-order-audit.
        from("master:order-audit:eventstore:$all?streamNamePrefixes=order-&checkpointKey=order-audit")
                .routeId("order-audit")
                .resumable("checkpoints") // the EventStoreResumeStrategy bean, handed to the consumer once elected
                .log("{{ha.replica-id}} audits ${header.CamelEventStoreStreamId} ${header.CamelEventStoreEventType}"
                        + " at ${header.CamelEventStorePosition}");
    }
}
