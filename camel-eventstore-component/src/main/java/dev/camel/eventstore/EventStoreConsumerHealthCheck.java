package dev.camel.eventstore;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * UP while the consumer is subscribed (catching up or live) or is a standby (another replica runs it); DOWN with
 * the reason while it reconnects, after it stopped its route because of a failure, or when it is stopped. Details:
 * {@code stream}, {@code state}, {@code route.id}, {@code position.processed} (the last position of the contiguous
 * run of completed events, or {@code none}) and {@code reconnects}.
 */
final class EventStoreConsumerHealthCheck extends AbstractHealthCheck {
    private final EventStoreConsumer consumer;

    /**
     * Registers the check of {@code consumer} under {@code consumer:eventstore-<route id>}, the id health endpoints
     * and dashboards know; {@code null} when the context has no health check registry.
     *
     * <p>Not through {@code HealthCheckAware}: Camel 4.18's {@code ConsumerHealthCheck} ({@code consumer:<route
     * id>}) calls the consumer's own check only while the route is started, so once the consumer stops its route
     * after a failure the check would say "Route x has status Stopped" without the reason, the state or the
     * processed position; and that check exists only where the consumers repository is enabled (camel-main's
     * {@code camel.health.consumersEnabled}), not in a plain CamelContext.
     */
    static EventStoreConsumerHealthCheck register(EventStoreConsumer consumer) {
        HealthCheckRegistry registry =
                HealthCheckRegistry.get(consumer.getEndpoint().getCamelContext());
        if (registry == null) {
            return null;
        }
        EventStoreConsumerHealthCheck check =
                new EventStoreConsumerHealthCheck(consumer, String.valueOf(consumer.getRouteId()));
        // Camel creates a new consumer when a stopped route starts again; the previous one, never shut down, left
        // its check under the same id, and the registry keeps the first check registered for an id
        registry.unregister(check);
        registry.register(check);
        return check;
    }

    /** Unregisters {@code check} if it is still the one registered: a newer consumer of the route may own the id. */
    static void unregister(EventStoreConsumerHealthCheck check, CamelContext context) {
        HealthCheckRegistry registry = check == null ? null : HealthCheckRegistry.get(context);
        if (registry != null && registry.getCheck(check.getId()).orElse(null) == check) {
            registry.unregister(check);
        }
    }

    EventStoreConsumerHealthCheck(EventStoreConsumer consumer, String routeId) {
        super("camel", "consumer:eventstore-" + routeId);
        this.consumer = consumer;
    }

    @Override
    public boolean isLiveness() {
        // a consumer that reconnects is not a reason to restart the process
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ConsumerStatus status = consumer.status();
        ConsumerStatus.Report report = status.report();
        if (report.state() == EventStoreConsumerState.STOPPED && waitsForItsRoutePolicy()) {
            report = new ConsumerStatus.Report(
                    EventStoreConsumerState.STANDBY,
                    "standby: the route waits for its route policy (leadership) to start it",
                    null);
        }
        builder.detail("stream", consumer.getEndpoint().getStream());
        builder.detail("state", report.state().name());
        builder.detail("route.id", consumer.getRouteId());
        SubscriptionPosition processed = consumer.getProcessedPosition();
        builder.detail("position.processed", processed == null ? "none" : processed.toString());
        builder.detail("reconnects", status.reconnects());
        if (report.state() == EventStoreConsumerState.STANDBY) {
            builder.message(report.reason());
        }
        if (report.state().isUp()) {
            builder.up();
            return;
        }
        builder.down();
        builder.message(report.reason() == null ? report.state().name().toLowerCase() : report.reason());
        if (report.lastError() != null) {
            builder.error(report.lastError());
        }
    }

    /**
     * A route stopped by a route policy that starts it when this replica is elected ({@code ClusteredRoutePolicy}
     * turns the route's auto-startup off), or a route that runs while its consumer is stopped ({@code master:}
     * runs this consumer as its delegate only on the leader).
     */
    private boolean waitsForItsRoutePolicy() {
        CamelContext context = consumer.getEndpoint().getCamelContext();
        Route route = context.getRoute(consumer.getRouteId());
        if (route == null) {
            return false;
        }
        ServiceStatus routeStatus = context.getRouteController().getRouteStatus(route.getRouteId());
        boolean routeStarted = routeStatus != null && routeStatus.isStarted();
        return routeStarted ? route.getConsumer() != consumer : !route.isAutoStartup();
    }
}
