package dev.camel.eventstore;

/** The consumer's state as health checks and logs report it. */
final class ConsumerStatus {
    private volatile EventStoreConsumerState state = EventStoreConsumerState.STOPPED;
    private volatile String reason;
    private volatile Throwable lastError;
    private volatile long reconnects;

    /**
     * Changes the state; FAILED and STANDBY are final until the consumer starts again, so a late transition from
     * another thread (or the stop that follows) cannot hide why it stopped.
     */
    synchronized void set(EventStoreConsumerState state, String reason, Throwable error) {
        if (this.state == EventStoreConsumerState.FAILED || this.state == EventStoreConsumerState.STANDBY) {
            return;
        }
        this.state = state;
        this.reason = reason;
        if (error != null) {
            this.lastError = error;
        }
    }

    /** A (re)started consumer starts over, a previous failure included. */
    synchronized void starting() {
        this.state = EventStoreConsumerState.STARTING;
        this.reason = "connecting";
    }

    void set(EventStoreConsumerState state) {
        set(state, null, null);
    }

    /**
     * Sets the state unless it already is {@code unless}: the subscription's caught-up callback may set LIVE
     * before the thread that subscribed gets to set CATCHING_UP, and must not be overwritten.
     */
    synchronized void setUnless(EventStoreConsumerState unless, EventStoreConsumerState state) {
        if (this.state != unless) {
            set(state);
        }
    }

    void countReconnect() {
        reconnects++;
    }

    EventStoreConsumerState state() {
        return state;
    }

    String reason() {
        return reason;
    }

    Throwable lastError() {
        return lastError;
    }

    long reconnects() {
        return reconnects;
    }
}
