package dev.camel.eventstore.consumer;

import dev.camel.eventstore.position.SubscriptionPosition;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.RollbackExchangeException;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ExchangeHelper;

/**
 * Counts a delivered event and moves the processed position when its exchange completes, before Camel's resume
 * processor looks for the position to store (it runs first: highest order).
 */
final class CompletionRecorder implements Synchronization, Ordered {
    private final ConsumerHost host;
    private final CompletionTracker tracker;
    private final CompletionTracker.Entry entry;

    CompletionRecorder(ConsumerHost host, CompletionTracker tracker, CompletionTracker.Entry entry) {
        this.host = host;
        this.tracker = tracker;
        this.entry = entry;
    }

    @Override
    public void onComplete(Exchange exchange) {
        if (failure(exchange) != null) {
            // marked rollback-only: not processed, the dispatcher treats it as failed
            return;
        }
        // counted before the position moves: whoever sees the processed position sees the deliveries it covers
        host.count(true);
        SubscriptionPosition moved = tracker.complete(entry);
        host.processed(exchange, moved, tracker.watermark(), ExchangeHelper.isFailureHandled(exchange));
    }

    @Override
    public void onFailure(Exchange exchange) {
        // the event stays unprocessed: the dispatcher delivers it again or stops the route
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    /**
     * Why an exchange did not process its event: its exception, or a rollback-only mark (a route's {@code
     * rollback()} without an exception), which like a transaction's rollback must not let the position pass the
     * event. {@code null} when it completed, also when its error handler handled a failure.
     */
    static Exception failure(Exchange exchange) {
        if (exchange.getException() != null) {
            return exchange.getException();
        }
        if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
            return new RollbackExchangeException("the exchange was marked rollback-only", exchange);
        }
        return null;
    }
}
