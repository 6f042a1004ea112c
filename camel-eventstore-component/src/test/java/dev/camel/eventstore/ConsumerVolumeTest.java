package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Order and completeness at volume: a hundred thousand events from $all and from one stream, each once, in order,
 * with the positions as appended, and nothing else in the pipeline.
 */
class ConsumerVolumeTest extends ConsumerServerTestSupport {
    private static final int TOTAL = 100_000;

    @Test
    void deliversHundredThousandEventsFromAllInOrderWithoutDuplicates() throws Exception {
        int streams = 100;
        int perBatch = 10;
        // batches of 10 rotate over 100 streams, so $all interleaves the streams; the numbers follow $all order
        for (int n = 0; n < TOTAL; n += perBatch) {
            server.append(stream(n / perBatch % streams), TestEvents.numbered(TestEvents.TYPE, n, perBatch));
        }
        List<Seen> seen = deliver(uri("$all"), "all", "$all");

        long previousCommit = -1;
        Set<String> ids = new HashSet<>(TOTAL * 2);
        for (int i = 0; i < TOTAL; i++) {
            Seen s = seen.get(i);
            int batch = i / perBatch;
            // stream and revision as appended; commit positions strictly increasing; the position text
            if (s.n != i
                    || !s.stream.equals(stream(batch % streams))
                    || s.revision != (long) batch / streams * perBatch + i % perBatch
                    || s.commit <= previousCommit
                    || !s.position.equals(s.commit + "/" + s.prepare)) {
                throw new AssertionError("exchange " + i + " was " + s + " after commit position " + previousCommit);
            }
            previousCommit = s.commit;
            ids.add(s.eventId);
        }
        assertThat(ids).as("distinct event ids").hasSize(TOTAL);

        // nothing else was in the pipeline: the next event appended is the very next exchange
        Seen next = deliverNext(seen, () -> append("sentinel", TOTAL, 1));
        assertThat(next.stream).isEqualTo("sentinel");
        EventStoreConsumer consumer = consumer("all");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(consumer.getProcessedPosition()).hasToString(next.position));
    }

    @Test
    void deliversHundredThousandEventsOfOneStreamInOrderAndNothingElse() throws Exception {
        for (int n = 0; n < TOTAL; n += 1000) {
            append("big-1", n, 1000);
            // other streams, including one whose name starts with the subscribed one's, are interleaved
            server.append("big-10", TestEvents.numbered("Other", -1, 1));
            server.append("other", TestEvents.numbered("Other", -1, 1));
        }
        List<Seen> seen = deliver(uri("big-1"), "one", "one stream");
        for (int i = 0; i < TOTAL; i++) {
            Seen s = seen.get(i);
            if (s.n != i || s.revision != i || !s.stream.equals("big-1") || !s.position.equals(Long.toString(i))) {
                throw new AssertionError("exchange " + i + " was " + s);
            }
        }

        Seen next = deliverNext(seen, () -> {
            server.append("other", TestEvents.numbered("Other", -1, 1));
            append("big-1", TOTAL, 1);
        });
        assertThat(next.revision).isEqualTo(TOTAL);
        awaitProcessed("one", SubscriptionPosition.ofRevision(TOTAL));
    }

    // ---- helpers ----

    /**
     * Starts a route from the URI and waits for {@link #TOTAL} exchanges; returns what it records, the first
     * {@code TOTAL} exchanges and whatever arrives after them.
     */
    private List<Seen> deliver(String uri, String routeId, String from) throws Exception {
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>(TOTAL + 1));
        context.addRoutes(route(uri, routeId, e -> seen.add(Seen.of(e))));
        long started = System.nanoTime();
        context.start();

        await().atMost(WAIT).until(() -> seen.size() >= TOTAL);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("ConsumerVolumeTest: " + TOTAL + " events from " + from + " in " + millis + " ms");
        assertThat(snapshot(seen)).hasSize(TOTAL);
        return seen;
    }

    /** Appends, and returns the one exchange that arrived after the first {@link #TOTAL}: the event numbered TOTAL. */
    private static Seen deliverNext(List<Seen> seen, Runnable append) {
        append.run();
        await().atMost(WAIT).until(() -> seen.size() > TOTAL);
        List<Seen> after = snapshot(seen);
        assertThat(after).hasSize(TOTAL + 1);
        assertThat(after.get(TOTAL).n).isEqualTo(TOTAL);
        return after.get(TOTAL);
    }

    private static String stream(int i) {
        return "stream-" + i;
    }

    private static <T> List<T> snapshot(List<T> list) {
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    /** The essentials of one exchange of the volume tests, kept small. */
    private record Seen(
            int n, String stream, long revision, long commit, long prepare, String position, String eventId) {
        static Seen of(Exchange e) {
            var m = e.getMessage();
            return new Seen(
                    TestEvents.number(m.getBody(byte[].class)),
                    m.getHeader(EventStoreConstants.STREAM_ID, String.class),
                    m.getHeader(EventStoreConstants.REVISION, Long.class),
                    m.getHeader(EventStoreConstants.COMMIT_POSITION, Long.class),
                    m.getHeader(EventStoreConstants.PREPARE_POSITION, Long.class),
                    m.getHeader(EventStoreConstants.POSITION, String.class),
                    m.getHeader(EventStoreConstants.EVENT_ID, String.class));
        }
    }
}
