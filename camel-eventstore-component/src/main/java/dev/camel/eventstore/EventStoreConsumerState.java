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
    /** Not started, or stopped. */
    STOPPED(false);

    private final boolean up;

    EventStoreConsumerState(boolean up) {
        this.up = up;
    }

    /** Whether the consumer is subscribed (its health check is UP). */
    public boolean isUp() {
        return up;
    }
}
