package dev.camel.eventstore;

import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a consumer's route after a failure retrying cannot fix, once, through Camel's {@code RouteController} on a
 * thread of Camel's {@code ExecutorServiceManager}: stopping waits for the consumer's own threads, so it cannot run
 * on them.
 */
final class RouteStopper {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreConsumer.class);

    private final EventStoreConsumer consumer;
    private volatile boolean reported;

    RouteStopper(EventStoreConsumer consumer) {
        this.consumer = consumer;
    }

    /** A (re)started consumer may report a failure again. */
    void reset() {
        reported = false;
    }

    /** Stops the route after a failure: an ERROR. */
    void stop(String reason) {
        stop(reason, true);
    }

    /** Stops the route because another replica runs the consumer now: expected where replicas take over, a WARN. */
    void stopAsStandby(String reason) {
        stop(reason, false);
    }

    private synchronized void stop(String reason, boolean failure) {
        if (reported) {
            return;
        }
        reported = true;
        String routeId = consumer.getRouteId();
        if (failure) {
            LOG.error("Stopping route {} ({}): {}", routeId, consumer.describe(), reason);
        } else {
            LOG.warn("Stopping route {} ({}), on standby: {}", routeId, consumer.describe(), reason);
        }
        CamelContext context = consumer.getEndpoint().getCamelContext();
        ExecutorService stopper =
                context.getExecutorServiceManager().newSingleThreadExecutor(this, "EventStoreRouteStop");
        stopper.execute(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.warn("Could not stop route {}: {}", routeId, e.toString());
            } finally {
                context.getExecutorServiceManager().shutdown(stopper);
            }
        });
    }
}
