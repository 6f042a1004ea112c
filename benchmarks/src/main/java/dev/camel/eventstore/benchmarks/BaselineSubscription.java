package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionFilter;
import com.eventstore.dbclient.SubscriptionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What both baselines do around their sink, as a plain program would: subscribe to {@code $all} from the start with
 * system events left out on the server (as the connectors do), number the events as they arrive, and wait until the
 * sink has acknowledged the first {@code events} of them. The first failure ends the run.
 */
final class BaselineSubscription {
    private BaselineSubscription() {}

    /** Sends one event to the sink. */
    interface Sender {
        /**
         * @param n the event's number in the subscription, for the {@link AckWindow}
         * @param failure where a failure that happens later (in a callback) goes
         */
        void send(long n, RecordedEvent event, Consumer<Exception> failure) throws Exception;
    }

    /**
     * Runs the subscription until {@code window} has acknowledged {@code events} events.
     *
     * @param name the baseline, in progress and error messages
     * @param failed what failed, as in "a request failed"
     * @return {@link System#nanoTime()} when the last one was acknowledged
     */
    static long deliver(
            EventStoreDBClient client,
            AckWindow window,
            Sender sender,
            long events,
            Duration timeout,
            String name,
            String failed)
            throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Consumer<Exception> fail = e -> failure.compareAndSet(null, e);
        SubscriptionListener listener = new SubscriptionListener() {
            private long seq;

            @Override
            public void onEvent(Subscription subscription, ResolvedEvent resolved) {
                try {
                    sender.send(seq++, resolved.getOriginalEvent(), fail);
                } catch (Exception e) {
                    fail.accept(e);
                }
            }
        };
        SubscriptionFilter noSystemEvents = SubscriptionFilter.newBuilder()
                .withEventTypeRegularExpression("^[^\\$]")
                .build();
        Subscription subscription = client.subscribeToAll(
                        listener, SubscribeToAllOptions.get().fromStart().filter(noSystemEvents))
                .get();
        long end = Harness.awaitCount(
                () -> {
                    if (failure.get() != null) {
                        throw new IllegalStateException(name + ": " + failed, failure.get());
                    }
                    return window.acknowledged();
                },
                events,
                timeout,
                name);
        subscription.stop();
        return end;
    }
}
