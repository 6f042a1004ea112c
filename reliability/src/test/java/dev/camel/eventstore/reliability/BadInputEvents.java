package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The events {@link BadInputTest} writes: order events of which some are not JSON, and raw data (every byte value,
 * non-ASCII, empty, one event near the client's message limit) in streams whose names mean something in URLs.
 */
final class BadInputEvents {
    /** Under the client's 16 MiB gRPC message limit with room for the rest of the message. */
    static final int LARGE = 15 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Stream names a URL, a path segment or a Kafka key could get wrong. */
    static final List<String> ODD_NAMES = List.of(
            "input-a b",
            "input-ünïcødé 東京 😀",
            "input-a/b/c",
            "input-100%",
            "input-what?",
            "input-#hash",
            "input-{braces}",
            "input-mix a/b%c?d#e{f}+g&h=i");

    /** One event as appended: its stream, revision, whether its content type is JSON, its data. */
    record Input(String stream, long revision, boolean json, byte[] data) {}

    private BadInputEvents() {}

    /** Order events: three are not JSON (XML, truncated JSON, empty data), one does not match the filter. */
    static List<Input> appendOrders(EventStoreTestServer server) {
        String[] data = {
            "{\"n\":0,\"amount\":500,\"customer\":{\"name\":\"Zoë 東京 😀\"}}",
            "<order n='1'/>",
            "{\"n\":2,\"amount\":",
            "{\"n\":3,\"amount\":1,\"customer\":{\"name\":\"Ann\"}}",
            "",
            "{\"n\":5,\"amount\":700,\"customer\":{\"name\":\"Bob\"}}",
        };
        List<Input> orders = new ArrayList<>();
        List<EventData> events = new ArrayList<>();
        for (int n = 0; n < data.length; n++) {
            boolean json = n != 1;
            byte[] bytes = utf8(data[n]);
            orders.add(new Input("json-orders", n, json, bytes));
            events.add(
                    json
                            ? EventDataBuilder.json("Order", bytes).build()
                            : EventDataBuilder.binary("Order", bytes).build());
        }
        server.append("json-orders", events);
        return orders;
    }

    /**
     * Raw data and odd stream names, in log order; the 15 MiB event goes through a real client (the testkit server
     * counts its size as EventStoreDB does), followed by a small event in the same stream.
     */
    static List<Input> appendInputs(EventStoreTestServer server) throws Exception {
        List<Input> inputs = new ArrayList<>();
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        append(server, inputs, new Input("input-binary", 0, false, everyByte));
        append(server, inputs, new Input("input-utf8", 0, true, utf8("{\"text\":\"Grüße, Zoë — 東京 😀👍🏽\"}")));
        append(server, inputs, new Input("input-empty", 0, true, new byte[0]));
        append(server, inputs, new Input("input-empty", 1, false, new byte[0]));
        for (String name : ODD_NAMES) {
            append(
                    server,
                    inputs,
                    new Input(name, 0, true, utf8("{\"stream\":" + JSON.writeValueAsString(name) + "}")));
        }
        byte[] large = new byte[LARGE];
        new Random(7).nextBytes(large);
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        try {
            client.appendToStream(
                            "input-large",
                            EventDataBuilder.binary("Large", large).build())
                    .get(60, TimeUnit.SECONDS);
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
        inputs.add(new Input("input-large", 0, false, large));
        append(server, inputs, new Input("input-large", 1, true, utf8("{\"after\":\"large\"}")));
        append(server, inputs, new Input("input-zz-last", 0, true, utf8("{\"last\":true}")));
        return inputs;
    }

    private static void append(EventStoreTestServer server, List<Input> inputs, Input input) {
        EventData event = input.json()
                ? EventDataBuilder.json("Input", input.data()).build()
                : EventDataBuilder.binary("Input", input.data()).build();
        server.append(input.stream(), List.of(event));
        inputs.add(input);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
