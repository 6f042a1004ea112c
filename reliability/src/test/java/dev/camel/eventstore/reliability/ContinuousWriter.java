package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes events continuously while a scenario runs: every 20 ms a batch of {@code perTick} events to the next of
 * {@code streams} streams {@code order-<n>}, so that deliveries never pause and a takeover shows as a gap.
 */
final class ContinuousWriter implements AutoCloseable {
    private final EventStoreTestServer server;
    private final int streams;
    private final int perTick;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private volatile int written;

    ContinuousWriter(EventStoreTestServer server, int streams, int perTick) {
        this.server = server;
        this.streams = streams;
        this.perTick = perTick;
    }

    ContinuousWriter start() {
        thread.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        int first = written;
        String stream = OrderStreams.name((first / perTick) % streams);
        List<EventData> events = new ArrayList<>(perTick);
        for (int n = first; n < first + perTick; n++) {
            events.add(EventDataBuilder.json("OrderUpdated", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        server.append(stream, events);
        written = first + perTick;
    }

    /** Stops writing; returns how many events were written. */
    int stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the writer did not stop");
        }
        return written;
    }

    @Override
    public void close() throws InterruptedException {
        if (!thread.isShutdown()) {
            stop();
        }
    }
}
