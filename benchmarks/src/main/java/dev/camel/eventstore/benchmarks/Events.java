package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The events every benchmark uses: 1 KiB of JSON, spread round-robin over many streams, with a sequence number and
 * (for the latency benchmark) the {@link System#nanoTime()} of the append.
 */
final class Events {
    static final int SIZE = 1024;
    static final String TYPE = "OrderPlaced";
    /** Events appended to one stream in one go while seeding; the streams take turns. */
    private static final int SEED_BATCH = 10;

    private Events() {}

    /** A testkit server without the system events a real one starts with: every event in {@code $all} is ours. */
    static EventStoreTestServer server() {
        return EventStoreTestServer.builder().seedSystemEvents(false).build().start();
    }

    static String stream(long seq, int streams) {
        return "order-" + (seq % streams);
    }

    /** Exactly {@link #SIZE} bytes of JSON. */
    static byte[] json(long seq, long appendNanos, String stream) {
        String head = "{\"seq\":" + seq + ",\"ts\":" + appendNanos + ",\"stream\":\"" + stream
                + "\",\"currency\":\"EUR\",\"amount\":42.50,\"payload\":\"";
        String tail = "\"}";
        StringBuilder json = new StringBuilder(SIZE).append(head);
        int pad = SIZE - head.length() - tail.length();
        for (int i = 0; i < pad; i++) {
            json.append((char) ('a' + (i % 26)));
        }
        return json.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The append time carried by an event's data: the number after {@code "ts":}, read without a JSON parser. */
    static long appendNanos(byte[] data) {
        int i = 7; // after {"seq":
        while (!(data[i] == '"' && data[i + 1] == 't' && data[i + 2] == 's' && data[i + 3] == '"')) {
            i++;
        }
        i += 5;
        boolean negative = data[i] == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        while (data[i] >= '0' && data[i] <= '9') {
            value = value * 10 + (data[i++] - '0');
        }
        return negative ? -value : value;
    }

    /**
     * Appends {@code count} events to the server without the network, {@link #SEED_BATCH} at a time per stream,
     * the streams taking turns. Returns the time it took, in ms.
     */
    static long seed(EventStoreTestServer server, int count, int streams) {
        return seed(server, count, streams, "order-");
    }

    /** {@link #seed(EventStoreTestServer, int, int)} into streams named {@code prefix} and a number. */
    static long seed(EventStoreTestServer server, int count, int streams, String prefix) {
        long start = System.nanoTime();
        long seq = 0;
        int round = 0;
        while (seq < count) {
            String stream = prefix + (round++ % streams);
            int n = (int) Math.min(SEED_BATCH, count - seq);
            List<EventData> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(EventDataBuilder.json(TYPE, json(seq++, 0, stream)).build());
            }
            server.append(stream, batch);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
