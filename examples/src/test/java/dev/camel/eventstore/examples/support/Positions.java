package dev.camel.eventstore.examples.support;

import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.position.SubscriptionPosition;
import org.apache.camel.CamelContext;

/** $all positions in their text form ({@code commit/prepare}), compared, and awaited on a running route. */
public final class Positions {
    private Positions() {}

    /**
     * Waits until the route's {@code eventstore:} consumer has processed every event up to the position. It may
     * pass it: a filtered subscription also moves on the server's checkpoints.
     */
    public static void awaitProcessed(CamelContext context, String routeId, String position) {
        await().until(() -> {
            SubscriptionPosition processed =
                    ((EventStoreConsumer) context.getRoute(routeId).getConsumer()).getProcessedPosition();
            return processed != null && atOrAfter(processed.toString(), position);
        });
    }

    public static boolean atOrAfter(String position, String other) {
        return SubscriptionPosition.parse(position, true).compareTo(SubscriptionPosition.parse(other, true)) >= 0;
    }
}
