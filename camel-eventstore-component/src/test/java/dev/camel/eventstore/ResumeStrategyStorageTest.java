package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * What {@link EventStoreResumeStrategy} stores with the real consumer and client against the testkit server: JSON
 * checkpoints, in which stream under which key, when (every checkpointRecordsThreshold updates, every interval, on
 * stop), and that failing writes do not stop delivery.
 */
class ResumeStrategyStorageTest extends ResumeStrategyTestSupport {
    @Test
    void storesJsonCheckpointsInTheDefaultStreamKeepingAtMostMaxCount() throws Exception {
        Sink sink = new Sink();
        EventStoreResumeStrategy strategy = strategy(1, NEVER);
        strategy.setMaxCount(3);
        CamelContext context = start(strategy, route("orders", "orders-1", sink));

        // one event at a time, each written before the next: exactly five checkpoints, after the claim the consumer
        // appended when it loaded (revision 0)
        for (int n = 0; n < 5; n++) {
            TestEvents.append(server, "orders-1", "OrderPlaced", n, 1);
            String revision = Integer.toString(n);
            await().until(() -> revision.equals(checkpoints.latest("camel-checkpoint-orders")));
        }
        context.stop();

        List<CheckpointStreams.Stored> stored = checkpoints.read("camel-checkpoint-orders");
        assertThat(stored).hasSize(3);
        assertThat(stored).extracting(CheckpointStreams.Stored::revision).containsExactly(3L, 4L, 5L);
        assertThat(stored).extracting(CheckpointStreams.Stored::position).containsExactly("2", "3", "4");
        assertThat(stored).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo("$checkpoint");
            assertThat(c.contentType()).isEqualTo("application/json");
            assertThat(c.key()).isEqualTo("orders");
            assertThat(c.body().size()).isEqualTo(2);
        });
        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(5);
        assertThat(checkpoints.metadata("camel-checkpoint-orders").getMaxCount())
                .isEqualTo(3L);
        assertThat(sink.numbers).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void streamPrefixAndCheckpointKeyNameTheStreamAndTheStoredKey() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 10);
        Sink first = new Sink();
        EventStoreResumeStrategy strategy = strategy(1000, NEVER);
        strategy.setCheckpointStreamPrefix("cp/");
        String uri = "orders-1?checkpointKey=order-projection";
        CamelContext context = start(strategy, route("orders", uri, first));
        await().until(() -> first.numbers.size() >= 10);
        context.stop();

        assertThat(checkpoints.read("cp/order-projection")).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("order-projection");
            assertThat(c.position()).isEqualTo("9");
        });
        assertThat(checkpoints.read("camel-checkpoint-orders")).isEmpty();
        assertThat(checkpoints.read("cp/orders")).isEmpty();

        // the same key resumes; a route id change does not matter
        TestEvents.append(server, "orders-1", "OrderPlaced", 10, 5);
        Sink second = new Sink();
        EventStoreResumeStrategy again = strategy(1000, NEVER);
        again.setCheckpointStreamPrefix("cp/");
        CamelContext resumed = start(again, route("renamed", uri, second));
        await().until(() -> second.numbers.size() >= 5);
        resumed.stop();
        assertThat(second.numbers).containsExactlyElementsOf(range(10, 15));

        // another key has nothing stored and starts from the beginning
        Sink third = new Sink();
        EventStoreResumeStrategy other = strategy(1000, NEVER);
        other.setCheckpointStreamPrefix("cp/");
        CamelContext fresh = start(other, route("orders", "orders-1?checkpointKey=another", third));
        await().until(() -> third.numbers.size() >= 15);
        fresh.stop();
        assertThat(third.numbers).containsExactlyElementsOf(range(0, 15));
        assertThat(checkpoints.latest("cp/order-projection")).isEqualTo("14");
        assertThat(checkpoints.latest("cp/another")).isEqualTo("14");
    }

    @Test
    void writesOnceEveryCheckpointEveryUpdatesAndOnStop() throws Exception {
        Sink sink = new Sink();
        CamelContext context = start(strategy(5, NEVER), route("orders", "orders-1", sink));

        // deterministic: each batch of exactly checkpointRecordsThreshold events is written before the next is appended
        for (int batch = 1; batch <= 4; batch++) {
            TestEvents.append(server, "orders-1", "OrderPlaced", (batch - 1) * 5, 5);
            int written = batch;
            String position = Integer.toString(batch * 5 - 1);
            await().until(() -> checkpoints.written("camel-checkpoint-orders") == written);
            assertThat(checkpoints.latest("camel-checkpoint-orders")).isEqualTo(position);
        }
        // fewer than checkpointRecordsThreshold updates: nothing is written...
        TestEvents.append(server, "orders-1", "OrderPlaced", 20, 3);
        await().until(() -> sink.numbers.size() >= 23);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> checkpoints.written("camel-checkpoint-orders") == 4);
        // ...until the route stops
        context.stop();

        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(5);
        assertThat(checkpoints.read("camel-checkpoint-orders"))
                .extracting(CheckpointStreams.Stored::position)
                .containsExactly("4", "9", "14", "19", "22");
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 23));
    }

    @Test
    void fastCatchUpWritesNoMoreThanOncePerCheckpointEveryUpdates() throws Exception {
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 3000);
        Sink sink = new Sink();
        EventStoreResumeStrategy strategy = strategy(100, NEVER);
        strategy.setMaxCount(1000);
        CamelContext context = start(strategy, route("orders", "orders-1", sink));
        await().until(() -> sink.numbers.size() >= 3000);
        context.stop();

        // 3000 updates: at most 30 writes by count and one on stop, each at least 100 events after the previous
        List<Long> stored = checkpoints.read("camel-checkpoint-orders").stream()
                .map(c -> Long.parseLong(c.position()))
                .toList();
        assertThat(stored).isNotEmpty().hasSizeLessThanOrEqualTo(31).isSorted().doesNotHaveDuplicates();
        assertThat(stored.get(stored.size() - 1)).isEqualTo(2999L);
        for (int i = 1; i < stored.size() - 1; i++) {
            assertThat(stored.get(i) - stored.get(i - 1))
                    .as("events between checkpoints %d and %d of %s", i - 1, i, stored)
                    .isGreaterThanOrEqualTo(100);
        }
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 3000));
    }

    @Test
    void writesPendingUpdatesEveryCheckpointInterval() throws Exception {
        Sink sink = new Sink();
        CamelContext context = start(strategy(1_000_000, 200), route("orders", "orders-1", sink));

        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> "4".equals(checkpoints.latest("camel-checkpoint-orders")));
        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(1);
        // nothing new: the interval writes nothing again
        await().during(Duration.ofMillis(1000))
                .atMost(Duration.ofSeconds(3))
                .until(() -> checkpoints.written("camel-checkpoint-orders") == 1);

        TestEvents.append(server, "orders-1", "OrderPlaced", 5, 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> "7".equals(checkpoints.latest("camel-checkpoint-orders")));
        context.stop();
        // already stored: stopping writes nothing more
        assertThat(checkpoints.written("camel-checkpoint-orders")).isEqualTo(2);
    }

    @Test
    void failingCheckpointWritesDoNotStopDeliveryAndAreRetriedOnceTheyWork() throws Exception {
        server.failAppends(stream -> stream.startsWith("camel-checkpoint-"), Status.UNAVAILABLE);
        Sink sink = new Sink();
        CamelContext context = start(strategy(10, 100), route("orders", "orders-1", sink));

        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 100);
        await().until(() -> sink.numbers.size() >= 100);
        // every write failed meanwhile (count-based and timed ones): nothing is stored, delivery went on
        assertThat(checkpoints.read("camel-checkpoint-orders")).isEmpty();
        TestEvents.append(server, "orders-1", "OrderPlaced", 100, 20);
        await().until(() -> sink.numbers.size() >= 120);
        assertThat(checkpoints.read("camel-checkpoint-orders")).isEmpty();

        // once the store works again, the pending position is written without any new event
        server.clearAppendFailures();
        await().atMost(Duration.ofSeconds(10)).until(() -> "119".equals(checkpoints.latest("camel-checkpoint-orders")));

        TestEvents.append(server, "orders-1", "OrderPlaced", 120, 30);
        await().until(() -> "149".equals(checkpoints.latest("camel-checkpoint-orders")));
        context.stop();
        assertThat(sink.numbers).containsExactlyElementsOf(range(0, 150));

        Sink second = new Sink();
        CamelContext resumed = start(strategy(10, 100), route("orders", "orders-1", second));
        TestEvents.append(server, "orders-1", "OrderPlaced", 150, 1);
        await().until(() -> second.numbers.size() >= 1);
        resumed.stop();
        assertThat(second.numbers).containsExactly(150);
    }
}
