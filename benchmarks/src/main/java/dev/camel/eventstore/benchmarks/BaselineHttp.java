package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionFilter;
import com.eventstore.dbclient.SubscriptionListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Baseline C: the plain Java program a team would write instead of the HTTP connector. It subscribes to {@code
 * $all} (system events left out on the server, as the connector does) and POSTs each event's data with
 * java.net.http.HttpClient (HTTP/1.1, a kept-alive connection), one at a time, waiting for each answer, retrying
 * an event until it is accepted; it writes a checkpoint to EventStoreDB every 1,000 events delivered.
 */
final class BaselineHttp {
    private BaselineHttp() {}

    /** Posts the first {@code events} events of {@code $all}; returns events/s, timed from creating the clients. */
    static double run(String connectionString, String url, long events, String checkpointStream) throws Exception {
        long start = System.nanoTime();
        EventStoreDBClient client = Harness.client(connectionString);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        URI target = URI.create(url);
        try {
            AckWindow window =
                    new AckWindow(BaselineKafka.CHECKPOINT_EVERY, new CheckpointWriter(client, checkpointStream));
            AtomicReference<Exception> failure = new AtomicReference<>();
            SubscriptionListener listener = new SubscriptionListener() {
                private long seq;

                @Override
                public void onEvent(Subscription subscription, ResolvedEvent resolved) {
                    RecordedEvent event = resolved.getOriginalEvent();
                    long n = seq++;
                    window.sent(n, event.getPosition());
                    HttpRequest request = HttpRequest.newBuilder(target)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", event.getContentType())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(event.getEventData()))
                            .build();
                    try {
                        while (true) {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() / 100 == 2) {
                                break;
                            }
                            Thread.sleep(100);
                        }
                        window.acked(n);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
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
                            throw new IllegalStateException("baseline C: a request failed", failure.get());
                        }
                        return window.acknowledged();
                    },
                    events,
                    Duration.ofMinutes(20),
                    "baseline C");
            subscription.stop();
            return Harness.rate(events, start, end);
        } finally {
            client.shutdown();
        }
    }
}
