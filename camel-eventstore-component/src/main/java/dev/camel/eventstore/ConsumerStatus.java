package dev.camel.eventstore;

/** The consumer's state as health checks and logs report it. */
final class ConsumerStatus {
    enum State {
        STARTING(false),
        CATCHING_UP(true),
        LIVE(true),
        RECONNECTING(false),
        FAILED(false),
        STOPPED(false);

        final boolean up;

        State(boolean up) {
            this.up = up;
        }
    }

    private volatile State state = State.STOPPED;
    private volatile String reason;
    private volatile Throwable lastError;
    private volatile long reconnects;

    /** Changes the state; FAILED is final, so a late transition from another thread cannot hide the failure. */
    synchronized void set(State state, String reason, Throwable error) {
        if (this.state == State.FAILED) {
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
        this.state = State.STARTING;
        this.reason = "connecting";
    }

    void set(State state) {
        set(state, null, null);
    }

    /**
     * Sets the state unless it already is {@code unless}: the subscription's caught-up callback may set LIVE
     * before the thread that subscribed gets to set CATCHING_UP, and must not be overwritten.
     */
    synchronized void setUnless(State unless, State state) {
        if (this.state != unless) {
            set(state);
        }
    }

    void countReconnect() {
        reconnects++;
    }

    State state() {
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
