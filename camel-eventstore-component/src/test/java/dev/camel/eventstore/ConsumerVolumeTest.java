package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Order and completeness at volume: a hundred thousand events from $all and from one stream, each once, in order,
 * with the positions as appended, and nothing else in the pipeline.
 */
class ConsumerVolumeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void deliversHundredThousandEventsFromAllInOrderWithoutDuplicates() throws Exception {
        int streams = 100;
        int perBatch = 10;
        int total = 100_000;
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            // batches of 10 rotate over 100 streams, so $all interleaves the streams; the numbers follow $all order
            for (int n = 0; n < total; n += perBatch) {
                server.append(stream(n / perBatch % streams), TestEvents.numbered("Numbered", n, perBatch));
            }
            List<Seen> seen = Collections.synchronizedList(new ArrayList<>(total + 1));
            context.addRoutes(route("eventstore:$all?connectionString=" + server.connectionString(), "all", e -> {
                seen.add(Seen.of(e));
            }));
            long started = System.nanoTime();
            context.start();

            await().atMost(WAIT).until(() -> seen.size() >= total);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("ConsumerDeliveryTest: " + total + " events from $all in " + millis + " ms");

            List<Seen> copy = snapshot(seen);
            assertThat(copy).hasSize(total);
            long previousCommit = -1;
            Set<String> ids = new HashSet<>(total * 2);
            for (int i = 0; i < total; i++) {
                Seen s = copy.get(i);
                int batch = i / perBatch;
                // stream and revision as appended; commit positions strictly increasing; the position text
                if (s.n != i
                        || !s.stream.equals(stream(batch % streams))
                        || s.revision != (long) batch / streams * perBatch + i % perBatch
                        || s.commit <= previousCommit
                        || !s.position.equals(s.commit + "/" + s.prepare)) {
                    throw new AssertionError(
                            "exchange " + i + " was " + s + " after commit position " + previousCommit);
                }
                previousCommit = s.commit;
                ids.add(s.eventId);
            }
            assertThat(ids).as("distinct event ids").hasSize(total);

            // nothing else was in the pipeline: the next event appended is the very next exchange
            server.append("sentinel", TestEvents.numbered("Numbered", total, 1));
            await().atMost(WAIT).until(() -> seen.size() > total);
            List<Seen> after = snapshot(seen);
            assertThat(after).hasSize(total + 1);
            assertThat(after.get(total).n).isEqualTo(total);
            assertThat(after.get(total).stream).isEqualTo("sentinel");
            EventStoreConsumer consumer = consumer(context, "all");
            await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.getProcessedPosition())
                    .hasToString(after.get(total).position));
        }
    }

    @Test
    void deliversHundredThousandEventsOfOneStreamInOrderAndNothingElse() throws Exception {
        int total = 100_000;
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            for (int n = 0; n < total; n += 1000) {
                server.append("big-1", TestEvents.numbered("Numbered", n, 1000));
                // other streams, including one whose name starts with the subscribed one's, are interleaved
                server.append("big-10", TestEvents.numbered("Other", -1, 1));
                server.append("other", TestEvents.numbered("Other", -1, 1));
            }
            List<Seen> seen = Collections.synchronizedList(new ArrayList<>(total + 1));
            context.addRoutes(route("eventstore:big-1?connectionString=" + server.connectionString(), "one", e -> {
                seen.add(Seen.of(e));
            }));
            long started = System.nanoTime();
            context.start();

            await().atMost(WAIT).until(() -> seen.size() >= total);
            System.out.println("ConsumerDeliveryTest: " + total + " events from one stream in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            List<Seen> copy = snapshot(seen);
            assertThat(copy).hasSize(total);
            for (int i = 0; i < total; i++) {
                Seen s = copy.get(i);
                if (s.n != i || s.revision != i || !s.stream.equals("big-1") || !s.position.equals(Long.toString(i))) {
                    throw new AssertionError("exchange " + i + " was " + s);
                }
            }

            server.append("other", TestEvents.numbered("Other", -1, 1));
            server.append("big-1", TestEvents.numbered("Numbered", total, 1));
            await().atMost(WAIT).until(() -> seen.size() > total);
            List<Seen> after = snapshot(seen);
            assertThat(after).hasSize(total + 1);
            assertThat(after.get(total).n).isEqualTo(total);
            assertThat(after.get(total).revision).isEqualTo(total);
            EventStoreConsumer consumer = consumer(context, "one");
            await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.getProcessedPosition())
                    .isEqualTo(SubscriptionPosition.ofRevision(total)));
        }
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
