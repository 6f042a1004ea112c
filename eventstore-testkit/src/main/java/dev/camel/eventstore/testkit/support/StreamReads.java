package dev.camel.eventstore.testkit.support;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a test wrote back through the real client, as any other reader of the database would: a stream's
 * events, its newest event, the event at a revision, every event of {@code $all}. Each read waits at most ten
 * seconds ({@code $all}: sixty).
 */
public final class StreamReads {
    private StreamReads() {}

    /** A client of the server, to read with; the caller shuts it down. */
    public static EventStoreDBClient client(EventStoreTestServer server) {
        return client(server.connectionString());
    }

    /** A client of the database the connection string names; the caller shuts it down. */
    public static EventStoreDBClient client(String connectionString) {
        return EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
    }

    /**
     * The events of a stream, first to last.
     *
     * @throws ExecutionException caused by {@link StreamNotFoundException} when the stream does not exist
     */
    public static List<RecordedEvent> events(EventStoreDBClient client, String stream) throws Exception {
        return originals(
                client.readStream(stream, ReadStreamOptions.get().forwards().fromStart()), 10);
    }

    /** The events of a stream, first to last; none when the stream does not exist. */
    public static List<RecordedEvent> eventsIfAny(EventStoreDBClient client, String stream) throws Exception {
        try {
            return events(client, stream);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /** The newest event of a stream; empty when the stream does not exist or holds none. */
    public static Optional<RecordedEvent> newest(EventStoreDBClient client, String stream) throws Exception {
        try {
            return originals(
                            client.readStream(
                                    stream,
                                    ReadStreamOptions.get()
                                            .backwards()
                                            .fromEnd()
                                            .maxCount(1)),
                            10)
                    .stream()
                    .findFirst();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The event of a stream at a revision. */
    public static RecordedEvent at(EventStoreDBClient client, String stream, long revision) throws Exception {
        List<RecordedEvent> events = originals(
                client.readStream(
                        stream, ReadStreamOptions.get().fromRevision(revision).maxCount(1)),
                10);
        if (events.isEmpty()) {
            throw new IllegalStateException("no event at revision " + revision + " of " + stream);
        }
        return events.get(0);
    }

    /** Every event of {@code $all}, oldest first, the server's own included. */
    public static List<RecordedEvent> all(EventStoreDBClient client) throws Exception {
        return originals(client.readAll(ReadAllOptions.get().forwards().fromStart()), 60);
    }

    private static List<RecordedEvent> originals(CompletableFuture<ReadResult> read, int seconds) throws Exception {
        return read.get(seconds, TimeUnit.SECONDS).getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent)
                .toList();
    }
}
