package dev.camel.eventstore;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Numbered JSON test events: {@code {"n":<n>}}, so that tests can check order and completeness. */
final class TestEvents {
    /** The type of the numbered events most consumer tests append. */
    static final String TYPE = "Numbered";

    private TestEvents() {}

    static byte[] json(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Events {@code from} to {@code from + count - 1}, of the given type. */
    static List<EventData> numbered(String type, int from, int count) {
        List<EventData> events = new ArrayList<>(count);
        for (int n = from; n < from + count; n++) {
            events.add(EventDataBuilder.json(type, json(n)).build());
        }
        return events;
    }

    /** Appends numbered events directly into the server, in batches of up to 1000. */
    static void append(EventStoreTestServer server, String stream, String type, int from, int count) {
        for (int n = from; n < from + count; n += 1000) {
            server.append(stream, numbered(type, n, Math.min(1000, from + count - n)));
        }
    }

    /** The number of a test event body. */
    static int number(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8);
        return Integer.parseInt(
                json.substring(json.indexOf(':') + 1, json.indexOf('}')).trim());
    }
}
