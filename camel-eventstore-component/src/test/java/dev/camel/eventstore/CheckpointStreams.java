package dev.camel.eventstore;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.StreamMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads what {@code EventStoreResumeStrategy} stored, through the real client, as any other reader of the database
 * would: the checkpoint events of a stream and the stream's metadata. The claims a consumer appends when it loads
 * its checkpoint ({@code "claim":true}) are apart: {@link #claims}; the other methods read checkpoints only.
 */
final class CheckpointStreams implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One checkpoint event, with its JSON body parsed. */
    record Stored(long revision, String type, String contentType, String key, String position, JsonNode body) {}

    private final EventStoreDBClient client;

    CheckpointStreams(EventStoreTestServer server) {
        client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    /** The checkpoints the stream still holds (its $maxCount applies), oldest first; empty if it does not exist. */
    List<Stored> read(String stream) throws Exception {
        return stored(StreamReads.eventsIfAny(client, stream), false);
    }

    /** The claims the stream still holds, oldest first. */
    List<Stored> claims(String stream) throws Exception {
        return stored(StreamReads.eventsIfAny(client, stream), true);
    }

    private static List<Stored> stored(List<RecordedEvent> events, boolean claims) throws Exception {
        List<Stored> stored = new ArrayList<>();
        for (RecordedEvent event : events) {
            JsonNode body = JSON.readTree(event.getEventData());
            if (body.path("claim").asBoolean() != claims) {
                continue;
            }
            stored.add(new Stored(
                    event.getRevision(),
                    event.getEventType(),
                    event.getContentType(),
                    body.path("key").asText(null),
                    body.path("position").asText(null),
                    body));
        }
        return stored;
    }

    /** The newest checkpoint's position, or {@code null} when none is stored. */
    String latest(String stream) throws Exception {
        List<Stored> all = read(stream);
        return all.isEmpty() ? null : all.get(all.size() - 1).position();
    }

    /**
     * How many checkpoints (claims left out) were ever written to the stream: read from {@code $all}, which the
     * stream's $maxCount does not truncate.
     */
    long written(String stream) throws Exception {
        List<RecordedEvent> events = StreamReads.all(client).stream()
                .filter(e -> e.getStreamId().equals(stream))
                .toList();
        return stored(events, false).size();
    }

    StreamMetadata metadata(String stream) throws Exception {
        return client.getStreamMetadata(stream).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.shutdown().get(10, TimeUnit.SECONDS);
    }
}
