package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test events whose streams take turns in {@code $all}: event {@code n} (JSON {@code {"n":n}}) goes to stream
 * {@code <prefix><(n / batch) % streams>}, so that several streams have events in flight at once.
 */
final class InterleavedEvents {
    private InterleavedEvents() {}

    static String stream(String prefix, int n, int streams, int batch) {
        return prefix + ((n / batch) % streams);
    }

    /** The revision of event {@code n} in its stream. */
    static long revision(int n, int streams, int batch) {
        return (long) (n / (batch * streams)) * batch + n % batch;
    }

    /** Appends events {@code from} to {@code from + count - 1}, {@code batch} at a time to the same stream. */
    static void append(EventStoreTestServer server, String prefix, int streams, int batch, int from, int count) {
        List<EventData> events = new ArrayList<>();
        String current = null;
        for (int n = from; n < from + count; n++) {
            String stream = stream(prefix, n, streams, batch);
            if (!stream.equals(current) && !events.isEmpty()) {
                server.append(current, events);
                events = new ArrayList<>();
            }
            current = stream;
            events.add(EventDataBuilder.json("OrderUpdated", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        if (!events.isEmpty()) {
            server.append(current, events);
        }
    }

    /** The commit position of every event in the streams starting with {@code prefix}, by {@code stream@revision}. */
    static Map<String, Long> positions(EventStoreDBClient client, String prefix) throws Exception {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (RecordedEvent event : StreamReads.all(client)) {
            if (event.getStreamId().startsWith(prefix)) {
                positions.put(
                        event.getStreamId() + "@" + event.getRevision(),
                        event.getPosition().getCommitUnsigned());
            }
        }
        return positions;
    }
}
