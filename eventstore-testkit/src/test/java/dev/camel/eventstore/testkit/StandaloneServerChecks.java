package dev.camel.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a standalone server is checked for, whether its main class runs from the class path
 * ({@link EventStoreTestServerMainTest}) or its packaged jar runs ({@link EventStoreTestServerJarIT}): one ready line
 * naming the connection string, the real client served through it, and a clean stop on SIGTERM.
 */
final class StandaloneServerChecks {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String READY = "EventStoreDB testkit server ready: ";

    private StandaloneServerChecks() {}

    /**
     * Waits for the ready line and checks it against {@code readyLine} (a regular expression); appends an event
     * through the connection string it names, with {@code userInfo} ({@code user:password}, or {@code null} for
     * none) added, and reads it back with the real client; then SIGTERM, and the process exits having printed
     * nothing but the ready line.
     */
    static void servesTheRealClientUntilTerminated(JavaProcess process, String readyLine, String userInfo)
            throws Exception {
        String ready = process.awaitLine(line -> line.startsWith(READY), TIMEOUT);
        assertThat(ready).matches(readyLine);
        String connectionString = ready.substring(READY.length()).split(" ", 2)[0];
        if (userInfo != null) {
            assertThat(ready).doesNotContain(userInfo.substring(userInfo.indexOf(':') + 1));
            connectionString = connectionString.replace("esdb://", "esdb://" + userInfo + "@");
        }

        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
        try {
            client.appendToStream(
                            "standalone-1",
                            EventDataBuilder.json("Ping", "{}".getBytes(StandardCharsets.UTF_8))
                                    .build())
                    .get(30, TimeUnit.SECONDS);
            ReadResult read =
                    client.readStream("standalone-1", ReadStreamOptions.get()).get(30, TimeUnit.SECONDS);
            assertThat(read.getEvents()).hasSize(1);
            assertThat(read.getEvents().get(0).getEvent().getEventType()).isEqualTo("Ping");
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }

        // 143 = 128 + SIGTERM, after the shutdown hook closed the server
        assertThat(process.terminate(TIMEOUT)).isEqualTo(143);
        assertThat(process.stdout()).containsExactly(ready);
    }
}
