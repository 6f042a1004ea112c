package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ResolvedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Where a subscription starts: the earliest event, the end of the log or of a stream (also one that does not exist
 * yet), or a position that is exclusive in both its text forms; then live events.
 */
class ConsumerInitialPositionTest extends ConsumerServerTestSupport {
    @Test
    void initialPositionStartDeliversFromTheFirstEventThenLiveEvents() throws Exception {
        append("orders-1", 0, 50);
        Recorder received = startRecording(uri("$all", "initialPosition=earliest"), "live");
        awaitSize(received, 50);
        EventStoreConsumer consumer = consumer("live");
        await().atMost(WAIT).until(() -> consumer.getState() == EventStoreConsumerState.LIVE);

        // appended through the network, after catch-up, in several appends to several streams
        EventStoreDBClient client = client();
        for (int n = 50; n < 100; n += 10) {
            client.appendToStream(
                            "orders-" + (n / 10),
                            TestEvents.numbered(TestEvents.TYPE, n, 10).iterator())
                    .get(10, TimeUnit.SECONDS);
        }
        awaitSize(received, 100);
        assertThat(received).hasSize(100);
        assertThat(received.numbers()).containsExactlyElementsOf(range(0, 100));
        assertThat(consumer.getState()).isEqualTo(EventStoreConsumerState.LIVE);
    }

    @Test
    void initialPositionEndDeliversOnlyEventsAppendedAfterTheStart() throws Exception {
        append("orders-1", 0, 20);
        append("orders-2", 20, 20);
        Recorder all = recording(uri("$all", "initialPosition=latest"), "all");
        Recorder stream = recording(uri("orders-1", "initialPosition=latest"), "stream");
        // the end of a stream that does not exist yet is its start
        Recorder missing = startRecording(uri("orders-3", "initialPosition=latest"), "missing");
        // the consumers have read the head and subscribed
        await().atMost(WAIT).until(() -> server.activeSubscriptions() == 3);

        append("orders-2", 100, 5);
        append("orders-1", 105, 5);
        append("orders-3", 110, 2);
        await().atMost(WAIT).until(() -> all.size() >= 12 && stream.size() >= 5 && missing.size() >= 2);
        assertThat(all.numbers()).containsExactlyElementsOf(range(100, 112));
        assertThat(stream.numbers()).containsExactlyElementsOf(range(105, 110));
        assertThat(stream)
                .extracting(r -> r.header(EventStoreConstants.REVISION))
                .containsExactly(20L, 21L, 22L, 23L, 24L);
        assertThat(missing.numbers()).containsExactly(110, 111);
        assertThat(missing)
                .extracting(r -> r.header(EventStoreConstants.REVISION))
                .containsExactly(0L, 1L);
    }

    @Test
    void initialPositionInAllIsExclusiveInBothTextForms() throws Exception {
        append("orders-1", 0, 5);
        append("orders-2", 5, 5);
        List<Position> positions = new ArrayList<>();
        for (ResolvedEvent e : client().readAll(ReadAllOptions.get().fromStart())
                .get(10, TimeUnit.SECONDS)
                .getEvents()) {
            if (!e.getOriginalEvent().getEventType().startsWith("$")) {
                positions.add(e.getOriginalEvent().getPosition());
            }
        }
        assertThat(positions).hasSize(10);
        Position fourth = positions.get(4);
        Position sixth = positions.get(6);
        Recorder full = recording(
                uri("$all", "initialPosition=" + fourth.getCommitUnsigned() + "/" + fourth.getPrepareUnsigned()),
                "full");
        Recorder commitOnly = startRecording(uri("$all", "initialPosition=" + sixth.getCommitUnsigned()), "commit");
        await().atMost(WAIT).until(() -> full.size() >= 5 && commitOnly.size() >= 3);
        assertThat(full.numbers()).containsExactly(5, 6, 7, 8, 9);
        assertThat(commitOnly.numbers()).containsExactly(7, 8, 9);

        // then live
        append("orders-3", 10, 2);
        await().atMost(WAIT).until(() -> full.size() >= 7 && commitOnly.size() >= 5);
        assertThat(full.numbers()).containsExactly(5, 6, 7, 8, 9, 10, 11);
        assertThat(commitOnly.numbers()).containsExactly(7, 8, 9, 10, 11);
    }

    @Test
    void startRevisionOfAStreamIsExclusive() throws Exception {
        append("orders-1", 0, 10);
        append("orders-2", 100, 10);
        Recorder received = startRecording(uri("orders-1", "initialPosition=4"), "revision");
        awaitSize(received, 5);
        assertThat(received.numbers()).containsExactly(5, 6, 7, 8, 9);
        assertThat(received)
                .extracting(r -> r.header(EventStoreConstants.REVISION))
                .containsExactly(5L, 6L, 7L, 8L, 9L);

        append("orders-2", 110, 1);
        append("orders-1", 10, 1);
        awaitSize(received, 6);
        assertThat(received.numbers()).containsExactly(5, 6, 7, 8, 9, 10);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
