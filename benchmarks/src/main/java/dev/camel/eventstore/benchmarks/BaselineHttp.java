package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventStoreDBClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
            long end = BaselineSubscription.deliver(
                    client,
                    window,
                    (n, event, failure) -> {
                        window.sent(n, event.getPosition());
                        HttpRequest request = HttpRequest.newBuilder(target)
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", event.getContentType())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(event.getEventData()))
                                .build();
                        while (true) {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() / 100 == 2) {
                                break;
                            }
                            Thread.sleep(100);
                        }
                        window.acked(n);
                    },
                    events,
                    Duration.ofMinutes(20),
                    "baseline C",
                    "a request failed");
            return Harness.rate(events, start, end);
        } finally {
            client.shutdown();
        }
    }
}
