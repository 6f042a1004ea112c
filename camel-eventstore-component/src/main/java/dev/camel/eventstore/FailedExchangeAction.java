package dev.camel.eventstore;

/** What the consumer does with an event whose exchange failed and was not handled by the route's error handler. */
public enum FailedExchangeAction {
    /**
     * Deliver the event again after a delay that grows exponentially up to {@code retryMaxDelay}; after {@code
     * retryMaxAttempts} attempts (0 = no limit) stop the route. Nothing after the event is dispatched meanwhile.
     */
    RETRY,
    /** Stop the route at once. The failed event is not checkpointed, so it is delivered again on the next start. */
    STOP
}
