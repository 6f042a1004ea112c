package dev.camel.eventstore;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * UP while the consumer is subscribed (catching up or live); DOWN with the reason while it reconnects, after it
 * stopped its route because of a failure, or when it is stopped. Details: {@code stream}, {@code state}, {@code
 * route.id}, {@code position.processed} (the last position of the contiguous run of completed events, or {@code
 * none}) and {@code reconnects}.
 */
final class EventStoreConsumerHealthCheck extends AbstractHealthCheck {
    private final EventStoreConsumer consumer;

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
        builder.detail("stream", consumer.getEndpoint().getStream());
        builder.detail("state", report.state().name());
        builder.detail("route.id", consumer.getRouteId());
        SubscriptionPosition processed = consumer.getProcessedPosition();
        builder.detail("position.processed", processed == null ? "none" : processed.toString());
        builder.detail("reconnects", status.reconnects());
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
}
