package dev.camel.eventstore.consumer;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.concurrent.ExecutorService;

/**
 * The work of one consumer, on two threads the consumer gives it: a {@link SubscriptionSupervisor} keeps the
 * subscription alive and hands events to an {@link EventBuffer}; an {@link EventDispatcher} routes them with a
 * bounded number in flight; a {@link CompletionTracker} keeps the processed position, which only covers the
 * contiguous run of completed events and is what the resume strategy stores.
 */
public final class SubscriptionTasks {
    private final ConsumerHost host;
    private final ConsumerSettings settings;
    private final CompletionTracker tracker = new CompletionTracker();
    private volatile SubscriptionSupervisor supervisor;
    private EventDispatcher dispatcher;

    public SubscriptionTasks(ConsumerHost host, ConsumerSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    /** Subscribes and dispatches on two threads of {@code threads}. */
    public void start(ExecutorService threads) {
        EventBuffer buffer = new EventBuffer(settings.bufferSize);
        dispatcher = new EventDispatcher(host, settings, buffer, tracker);
        supervisor = new SubscriptionSupervisor(host, settings, buffer, tracker);
        threads.execute(dispatcher);
        threads.execute(supervisor);
    }

    /**
     * Ends the subscription and the dispatching, then waits for the exchanges in flight.
     *
     * @return false when some are still in flight after {@code drainMillis}
     */
    public boolean stop(long drainMillis) throws InterruptedException {
        if (supervisor != null) {
            supervisor.stop();
        }
        if (dispatcher != null) {
            dispatcher.stop();
            return dispatcher.awaitIdle(drainMillis);
        }
        return true;
    }

    /** The processed position: every event up to it has completed; {@code null} before the first subscription. */
    public SubscriptionPosition processedPosition() {
        return tracker.watermark();
    }

    /** The head of the consumer's log, read now; {@code null} while the consumer is not connected. */
    public SubscriptionPosition readLogHead() throws Exception {
        SubscriptionSupervisor current = supervisor;
        return current == null ? null : current.logHead();
    }

    /** Events dispatched and not yet covered by the processed position. */
    public int outstanding() {
        return tracker.outstanding();
    }
}
