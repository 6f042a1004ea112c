package dev.camel.eventstore.connectors.app;

import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.EventStoreConsumerState;
import dev.camel.eventstore.position.SubscriptionPosition;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connector meters in the application's Micrometer registry (served as Prometheus text at {@code
 * /observe/metrics}), tagged {@code connector=<id>}:
 *
 * <ul>
 *   <li>{@code eventstore_connector_events_delivered_total}: events whose exchange completed;
 *   <li>{@code eventstore_connector_errors_total}: failed delivery attempts (each retry counts);
 *   <li>{@code eventstore_connector_position}: the processed position (commit position in {@code $all}, or stream
 *       revision);
 *   <li>{@code eventstore_connector_checkpoint_position}: the last stored checkpoint (EventStoreDB store);
 *   <li>{@code eventstore_connector_lag}: head of the log minus the processed position (bytes of log in {@code
 *       $all}, events in a stream), read from the server at most every {@value #HEAD_READ_SECONDS} s;
 *   <li>{@code eventstore_connector_caught_up}: 1 while the subscription is live, else 0;
 *   <li>{@code eventstore_connector_leader}: 1 on the replica where the connector is active (always, when the
 *       application is not clustered), 0 on a standby.
 * </ul>
 */
final class ConnectorMetrics {
    static final long HEAD_READ_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorMetrics.class);

    private ConnectorMetrics() {}

    /**
     * Registers the meters of every eventstore: route; a no-op without a Micrometer registry.
     *
     * @param leadership the connectors' election, {@code null} when the application is not clustered
     */
    static void register(CamelContext context, ConnectorLeadership leadership) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            LOG.debug("No Micrometer registry: connector metrics are off");
            return;
        }
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof EventStoreConsumer) {
                register(registry, context, route.getRouteId());
                String id = route.getRouteId();
                Gauge.builder("eventstore.connector.leader", context, c -> leader(c, leadership, id) ? 1 : 0)
                        .tags(Tags.of("connector", id))
                        .description("1 on the replica where the connector is active, 0 on a standby")
                        .register(registry);
            }
        }
    }

    private static void register(MeterRegistry registry, CamelContext context, String id) {
        Tags tags = Tags.of("connector", id);
        Lag lag = new Lag();
        FunctionCounter.builder(
                        "eventstore.connector.events.delivered",
                        context,
                        c -> consumer(c, id) == null ? 0 : consumer(c, id).getDeliveredCount())
                .tags(tags)
                .description("Events whose exchange completed")
                .register(registry);
        FunctionCounter.builder(
                        "eventstore.connector.errors",
                        context,
                        c -> consumer(c, id) == null ? 0 : consumer(c, id).getFailedCount())
                .tags(tags)
                .description("Failed delivery attempts")
                .register(registry);
        Gauge.builder("eventstore.connector.position", context, c -> value(processed(c, id)))
                .tags(tags)
                .description("Processed position: commit position in $all, or stream revision")
                .register(registry);
        Gauge.builder("eventstore.connector.checkpoint.position", context, c -> value(checkpoint(c, id)))
                .tags(tags)
                .description("Last stored checkpoint (EventStoreDB checkpoint store)")
                .register(registry);
        Gauge.builder("eventstore.connector.lag", context, c -> lag.read(consumer(c, id)))
                .tags(tags)
                .description("Head of the log minus the processed position")
                .register(registry);
        Gauge.builder(
                        "eventstore.connector.caught.up",
                        context,
                        c -> consumer(c, id) != null && consumer(c, id).getState() == EventStoreConsumerState.LIVE
                                ? 1
                                : 0)
                .tags(tags)
                .description("1 while the subscription is live")
                .register(registry);
    }

    private static boolean leader(CamelContext context, ConnectorLeadership leadership, String id) {
        Boolean leader = leadership == null ? null : leadership.isActive(context, id);
        return leader == null || leader;
    }

    private static EventStoreConsumer consumer(CamelContext context, String id) {
        Route route = context.getRoute(id);
        return route != null && route.getConsumer() instanceof EventStoreConsumer c ? c : null;
    }

    private static SubscriptionPosition processed(CamelContext context, String id) {
        EventStoreConsumer consumer = consumer(context, id);
        return consumer == null ? null : consumer.getProcessedPosition();
    }

    private static SubscriptionPosition checkpoint(CamelContext context, String id) {
        EventStoreConsumer consumer = consumer(context, id);
        return consumer == null ? null : consumer.getCheckpointPosition();
    }

    private static double value(SubscriptionPosition position) {
        if (position == null) {
            return Double.NaN;
        }
        return position.isStart() ? 0 : position.isAll() ? position.commit() : position.revision();
    }

    /** The lag, with the head of the log read at most every few seconds rather than at every scrape. */
    private static final class Lag {
        private long readAt;
        private SubscriptionPosition head;

        synchronized double read(EventStoreConsumer consumer) {
            if (consumer == null) {
                return Double.NaN;
            }
            long now = System.nanoTime();
            if (head == null || now - readAt > TimeUnit.SECONDS.toNanos(HEAD_READ_SECONDS)) {
                try {
                    head = consumer.readLogHead();
                    readAt = now;
                } catch (Exception e) {
                    LOG.debug("Could not read the head of the log for the lag: {}", e.toString());
                }
            }
            SubscriptionPosition processed = consumer.getProcessedPosition();
            if (head == null || processed == null) {
                return Double.NaN;
            }
            return Math.max(0, value(head) - value(processed));
        }
    }
}
