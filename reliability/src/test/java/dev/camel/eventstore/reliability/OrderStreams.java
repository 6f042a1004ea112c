package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test events: {@code count} JSON events spread round-robin over {@code streams} streams {@code order-<n>}. */
final class OrderStreams {
    private OrderStreams() {}

    static void append(EventStoreTestServer server, int streams, int count) {
        List<List<EventData>> perStream = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            perStream.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            int stream = i % streams;
            String json = "{\"n\":" + i + ",\"order\":" + stream + ",\"note\":\"" + "x".repeat(200) + "\"}";
            perStream
                    .get(stream)
                    .add(EventDataBuilder.json("OrderUpdated", json.getBytes(StandardCharsets.UTF_8))
                            .build());
            if (perStream.get(stream).size() == 500) {
                server.append(name(stream), perStream.get(stream));
                perStream.set(stream, new ArrayList<>());
            }
        }
        for (int s = 0; s < streams; s++) {
            if (!perStream.get(s).isEmpty()) {
                server.append(name(s), perStream.get(s));
            }
        }
    }

    static String name(int stream) {
        return "order-" + stream;
    }
}
