package dev.camel.eventstore.resume;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WrongExpectedVersionException;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.client.Credentials;
import dev.camel.eventstore.client.Timeouts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The I/O of checkpoints: reads the newest checkpoint of a stream and appends new ones, each stream keeping its
 * newest {@code maxCount} ({@code $maxCount}).
 *
 * <p>Calls go through the strategy's own handle, or else through a handle on a bound consumer's connection string;
 * either is kept until {@link #close()}. Both are on the client the context's checkpoint stores share per connection
 * string ({@link ClientHandle#forCheckpoints()}), not on the routes' one: a write refused with UNAVAILABLE makes the
 * client reconnect, which must not end the routes' subscriptions.
 *
 * <p>A client that shut itself down is renewed, for every user sharing it. A read that timed out renews the client
 * only if it does not answer a short read either ({@link ClientHandle#renewIfUnanswering}): a resumable consumer
 * started while the server was unreachable must not keep reading through a client that gave up (so that it
 * subscribes once the server listens), but other routes' subscriptions on a client that answers are not torn down
 * for one slow read.
 */
final class CheckpointStore {
    /**
     * A system-style type: consumers of $all leave out system events by default, so no connector delivers another
     * connector's (or its own) checkpoints.
     */
    static final String EVENT_TYPE = "$checkpoint";

    private static final long TIMEOUT_MILLIS = Timeouts.OPERATION.toMillis();

    private final Supplier<ClientHandle> own;
    private final Supplier<ClientHandle> bound;
    private final Credentials credentials;
    private final long maxCount;
    private final Set<String> limited = ConcurrentHashMap.newKeySet();
    private final Set<ClientHandle> kept = ConcurrentHashMap.newKeySet();
    /** The checkpoint handle of each connection string (or configured client) of the bound consumers. */
    private final Map<Object, ClientHandle> forConsumer = new ConcurrentHashMap<>();

    /**
     * @param own the strategy's own handle, or {@code null} when it has no connection of its own
     * @param bound a bound consumer's handle, used when there is no own one
     */
    CheckpointStore(Supplier<ClientHandle> own, Supplier<ClientHandle> bound, Credentials credentials, long maxCount) {
        this.own = own;
        this.bound = bound;
        this.credentials = credentials;
        this.maxCount = maxCount;
    }

    /** The newest checkpoint of a stream, and the stream's revision: the expected revision of the next write. */
    record Stored(Checkpoint checkpoint, ExpectedRevision revision) {
        static final Stored NONE = new Stored(null, ExpectedRevision.noStream());
    }

    /** The newest checkpoint in {@code stream}; {@link Stored#NONE} when the stream does not exist. */
    Stored read(String stream) throws Exception {
        ClientHandle handle = handle();
        EventStoreDBClient client = handle.client();
        try {
            List<ResolvedEvent> newest = client.readStream(
                            stream,
                            credentials.apply(ReadStreamOptions.get()
                                    .backwards()
                                    .fromEnd()
                                    .maxCount(1)))
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .getEvents();
            if (newest.isEmpty()) {
                // every event truncated or deleted: the stream exists, with no checkpoint to resume from
                return new Stored(null, ExpectedRevision.streamExists());
            }
            RecordedEvent event = newest.get(0).getOriginalEvent();
            try {
                return new Stored(
                        Checkpoint.fromJson(event.getEventData()),
                        ExpectedRevision.expectedRevision(event.getRevision()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "The checkpoint stream '" + stream + "' holds an event that is " + e.getMessage(), e);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return Stored.NONE;
            }
            // the client gave up on an unreachable server for good: the next read (the consumer retries) needs a
            // new one
            handle.renewAfter(client, e);
            throw e;
        } catch (TimeoutException e) {
            handle.renewIfUnanswering(client);
            throw e;
        }
    }

    /**
     * Appends a checkpoint to {@code stream} if the stream is still at {@code expected}, setting the stream's {@code
     * $maxCount} on its first write.
     *
     * @return the stream's revision after the write: the expected revision of the next one
     * @throws CheckpointTakenOverException when another writer appended since {@code expected}
     */
    ExpectedRevision write(String stream, Checkpoint checkpoint, ExpectedRevision expected) throws Exception {
        ClientHandle handle = handle();
        EventStoreDBClient client = handle.client();
        try {
            if (!limited.contains(stream)) {
                StreamMetadata metadata = new StreamMetadata();
                metadata.setMaxCount(maxCount);
                client.setStreamMetadata(stream, metadata).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                limited.add(stream);
            }
            return client.appendToStream(
                            stream,
                            credentials.apply(AppendToStreamOptions.get().expectedRevision(expected)),
                            EventDataBuilder.json(EVENT_TYPE, checkpoint.toJson())
                                    .build())
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .getNextExpectedRevision();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WrongExpectedVersionException wrong) {
                throw new CheckpointTakenOverException(stream, expected, wrong.getActualVersion());
            }
            handle.renewAfter(client, e);
            throw e;
        }
    }

    /** Closes its handles: their client is shut down unless other checkpoint stores share it. */
    void close() {
        kept.forEach(ClientHandle::close);
        kept.clear();
        forConsumer.clear();
    }

    private ClientHandle handle() {
        ClientHandle handle = own.get();
        if (handle == null) {
            // the checkpoint stores' client of the consumer's connection string, kept until the strategy stops
            ClientHandle consumer = bound.get();
            handle = forConsumer.computeIfAbsent(
                    consumer.connectionString() != null ? consumer.connectionString() : consumer.current(),
                    k -> consumer.forCheckpoints());
        }
        kept.add(handle);
        return handle;
    }
}
