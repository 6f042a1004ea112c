package dev.camel.eventstore;

/** The consumer's state as health checks and logs report it. */
final class ConsumerStatus {
    /**
     * The state, why the consumer is in it ({@code null} when the state says it all) and the last error: replaced as
     * a whole, so that a reader sees one consistent report.
     */
    record Report(EventStoreConsumerState state, String reason, Throwable lastError) {}

    private volatile Report report = new Report(EventStoreConsumerState.STOPPED, null, null);
    private volatile long reconnects;

    /**
     * Changes the state; FAILED and STANDBY are final until the consumer starts again, so a late transition from
     * another thread (or the stop that follows) cannot hide why it stopped.
     */
    synchronized void set(EventStoreConsumerState state, String reason, Throwable error) {
        if (report.state() == EventStoreConsumerState.FAILED || report.state() == EventStoreConsumerState.STANDBY) {
            return;
        }
        report = new Report(state, reason, error != null ? error : report.lastError());
    }

    /** A (re)started consumer starts over, a previous failure included. */
    synchronized void starting() {
        report = new Report(EventStoreConsumerState.STARTING, "connecting", report.lastError());
    }

    void set(EventStoreConsumerState state) {
        set(state, null, null);
    }

    /**
     * Sets the state unless it already is {@code unless}: the subscription's caught-up callback may set LIVE
     * before the thread that subscribed gets to set CATCHING_UP, and must not be overwritten.
     */
    synchronized void setUnless(EventStoreConsumerState unless, EventStoreConsumerState state) {
        if (report.state() != unless) {
            set(state);
        }
    }

    void countReconnect() {
        reconnects++;
    }

    Report report() {
        return report;
    }

    EventStoreConsumerState state() {
        return report.state();
    }

    long reconnects() {
        return reconnects;
    }
}
