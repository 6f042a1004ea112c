package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** The producer recovers after its client shut itself down while the server was stopped. */
class ProducerRecoveryTest extends ProducerTestSupport {
    @Test
    void recoversAfterTheClientShutItselfDownWhileTheServerWasStopped() throws Exception {
        try (EventStoreTestServer own = EventStoreTestServer.startDefault()) {
            // few discovery attempts, so that the client gives up (and shuts itself down) quickly
            String to = "eventstore:" + stream + "?eventType=E&connectionString=RAW(" + own.connectionString()
                    + "&maxDiscoverAttempts=2&discoveryInterval=100)";
            appended(to, "{\"n\":0}", null);

            own.stop();
            List<Throwable> failures = new ArrayList<>();
            String endpoint = to;
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Exchange failed = send(endpoint, "{\"lost\":true}", null);
                assertThat(failed.getException()).isNotNull();
                failures.add(failed.getException());
                return failed.getException() instanceof ConnectionShutdownException;
            });

            own.start();
            int[] n = {1};
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Exchange attempt = send(endpoint, "{\"n\":" + n[0] + "}", null);
                return attempt.getException() == null;
            });
            assertThat(send(endpoint, "{\"n\":" + (n[0] + 1) + "}", null).getException())
                    .isNull();

            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(own.connectionString()));
            try {
                List<String> stored = client
                        .readStream(stream, ReadStreamOptions.get().fromStart())
                        .get(10, TimeUnit.SECONDS)
                        .getEvents()
                        .stream()
                        .map(e -> text(e.getOriginalEvent()))
                        .toList();
                assertThat(stored).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }
            assertThat(failures).last().isInstanceOf(ConnectionShutdownException.class);
        }
    }
}
