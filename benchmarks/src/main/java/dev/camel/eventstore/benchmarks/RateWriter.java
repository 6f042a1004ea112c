package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The live phase's writer: appends single 1 KiB events at a fixed rate, round-robin over the streams, each carrying
 * the {@link System#nanoTime()} of its append. It appends in process ({@link EventStoreTestServer#append}): the
 * event is in the log, and subscriptions are woken, when the call returns. (Appends through the 5.4.5 client take
 * about 1 ms each against the testkit, most of it waiting, so a client writer would measure itself.) Every 200 us
 * it appends the events that are due.
 */
final class RateWriter {
    private final EventStoreTestServer server;
    private final int streams;
    private long seq;

    RateWriter(EventStoreTestServer server, int streams) {
        this.server = server;
        this.streams = streams;
    }

    /** Writes {@code rate x seconds} events over {@code seconds}; returns how many were written. */
    long write(int rate, int seconds) {
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long issued = 0;
        while (issued < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            while (issued < due) {
                String stream = Events.stream(seq, streams);
                long now = System.nanoTime();
                server.append(
                        stream,
                        List.of(EventDataBuilder.json(Events.TYPE, Events.json(seq++, now, stream))
                                .build()));
                issued++;
            }
            LockSupport.parkNanos(200_000);
        }
        double actual = total * 1e9 / (System.nanoTime() - start);
        if (actual < rate * 0.95) {
            Harness.say("latency: the writer reached only %,.0f of %,d events/s", actual, rate);
        }
        return total;
    }
}
