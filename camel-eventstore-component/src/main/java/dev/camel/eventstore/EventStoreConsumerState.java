package dev.camel.eventstore;

/** Where an {@code eventstore:} consumer stands, as its health check, its JMX attributes and metrics report it. */
public enum EventStoreConsumerState {
    /** Started, connecting and loading its stored position. */
    STARTING(false),
    /** Subscribed, delivering events older than the head of the log. */
    CATCHING_UP(true),
    /** Subscribed and caught up: events are delivered as they are written. */
    LIVE(true),
    /** The subscription was lost; re-subscribing with backoff. */
    RECONNECTING(false),
    /** Stopped its route after a failure retrying cannot fix. */
    FAILED(false),
    /**
     * Not running here, as intended: another consumer (a replica elected after this one) claimed its checkpoint, or
     * its route waits for a route policy (Camel's {@code ClusteredRoutePolicy}, a {@code master:} endpoint) to start
     * it. A standby is healthy.
     */
    STANDBY(true),
    /** Not started, or stopped. */
    STOPPED(false);

    private final boolean up;

    EventStoreConsumerState(boolean up) {
        this.up = up;
    }

    /** Whether the consumer is subscribed, or a healthy standby (its health check is UP). */
    public boolean isUp() {
        return up;
    }
}
