package dev.camel.eventstore.examples.support;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads EventStoreDB as the tests check it: stream contents, positions, stored checkpoints. */
public final class EventStoreReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventStoreDBClient client;

    public EventStoreReader(String connectionString) {
        client = StreamReads.client(connectionString);
    }

    /** The events of a stream, first to last. */
    public List<RecordedEvent> read(String stream) throws Exception {
        return StreamReads.events(client, stream);
    }

    /** The $all position of a stream's last event, in the text form of the checkpoints. */
    public String positionOfLast(String stream) throws Exception {
        List<RecordedEvent> events = read(stream);
        return position(events.get(events.size() - 1));
    }

    /** The $all position of an event, in the text form of the checkpoints. */
    public static String position(RecordedEvent event) {
        return event.getPosition().getCommitUnsigned() + "/"
                + event.getPosition().getPrepareUnsigned();
    }

    /** Event data or metadata as the UTF-8 text it was written as. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The position the resume strategy stored last under the key (stream {@code camel-checkpoint-<key>}). */
    public String stored(String key) throws Exception {
        RecordedEvent newest =
                StreamReads.newest(client, "camel-checkpoint-" + key).orElseThrow();
        return JSON.readTree(newest.getEventData()).get("position").asText();
    }

    @Override
    public void close() throws Exception {
        client.shutdown().get(10, TimeUnit.SECONDS);
    }
}
