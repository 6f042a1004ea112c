package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.position.SubscriptionPosition;

/**
 * What the subscription hands to the dispatcher, in log order: an event to route, or a position to record without
 * routing anything (a server checkpoint, or an event the consumer leaves out).
 */
record Delivery(ResolvedEvent event, SubscriptionPosition position) {
    static Delivery marker(SubscriptionPosition position) {
        return new Delivery(null, position);
    }

    boolean isMarker() {
        return event == null;
    }
}
