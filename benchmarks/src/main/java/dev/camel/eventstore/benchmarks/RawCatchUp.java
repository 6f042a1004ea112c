package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Baseline A, the source's limit: a raw db-client-java catch-up subscription to {@code $all} from the start with a
 * listener that only counts. Timed from creating the client (as the consumer creates its own) to the last event.
 */
final class RawCatchUp {
    private RawCatchUp() {}

    static double run(String connectionString, long events) throws Exception {
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime();
        EventStoreDBClient client = Harness.client(connectionString);
        try {
            Subscription subscription = client.subscribeToAll(
                            new SubscriptionListener() {
                                @Override
                                public void onEvent(Subscription subscription, ResolvedEvent event) {
                                    received.incrementAndGet();
                                }
                            },
                            SubscribeToAllOptions.get().fromStart())
                    .get();
            long end = Harness.awaitCount(received::get, events, Duration.ofMinutes(10), "baseline A");
            subscription.stop();
            return Harness.rate(events, start, end);
        } finally {
            client.shutdown();
        }
    }
}
