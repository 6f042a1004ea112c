package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baselines' checkpoints: every {@code every} events whose delivery was acknowledged contiguously (no gap
 * before them), the position of the last of them is appended to a checkpoint stream in EventStoreDB, as the
 * connectors do ({@code $checkpoint} events). At most one write is in flight; a request made meanwhile is written
 * when it completes (a newer position covers older ones). The plain programs do not wait for the write.
 */
final class CheckpointWriter {
    private final EventStoreDBClient client;
    private final String stream;
    private final AtomicLong written = new AtomicLong();
    private boolean writing;
    private Position pending;

    CheckpointWriter(EventStoreDBClient client, String stream) {
        this.client = client;
        this.stream = stream;
    }

    /** Asks for this position to be stored. */
    void request(Position position) {
        synchronized (this) {
            if (writing) {
                pending = position;
                return;
            }
            writing = true;
        }
        write(position);
    }

    private void write(Position position) {
        byte[] json = ("{\"key\":\"" + stream + "\",\"position\":\"" + position.getCommitUnsigned() + "/"
                        + position.getPrepareUnsigned() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        client.appendToStream(
                        stream,
                        AppendToStreamOptions.get().expectedRevision(ExpectedRevision.any()),
                        EventDataBuilder.json("$checkpoint", json).build())
                .whenComplete((result, error) -> {
                    if (error == null) {
                        written.incrementAndGet();
                    }
                    Position next;
                    synchronized (this) {
                        next = pending;
                        pending = null;
                        writing = next != null;
                    }
                    if (next != null) {
                        write(next);
                    }
                });
    }

    long written() {
        return written.get();
    }
}
