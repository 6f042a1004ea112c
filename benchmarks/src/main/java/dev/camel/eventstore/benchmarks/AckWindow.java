package dev.camel.eventstore.benchmarks;

import com.eventstore.dbclient.Position;

/**
 * The baselines' at-least-once bookkeeping: events are numbered as they are sent, acknowledged in any order, and
 * only the contiguous run of acknowledged events counts; every {@code every} of them the checkpoint writer is given
 * the position of the last one, so a stored checkpoint never passes an event that was not acknowledged.
 */
final class AckWindow {
    /** Events sent and not yet covered by the contiguous run; far more than the callers keep in flight. */
    private static final int CAPACITY = 1 << 20;

    private final Position[] positions = new Position[CAPACITY];
    private final boolean[] acked = new boolean[CAPACITY];
    private final int every;
    private final CheckpointWriter checkpoints;
    private long contiguous; // events 0 .. contiguous-1 are acknowledged
    private volatile long acknowledged;

    AckWindow(int every, CheckpointWriter checkpoints) {
        this.every = every;
        this.checkpoints = checkpoints;
    }

    synchronized void sent(long seq, Position position) {
        int i = (int) (seq % CAPACITY);
        if (positions[i] != null) {
            throw new IllegalStateException("more than " + CAPACITY + " events unacknowledged");
        }
        positions[i] = position;
    }

    void acked(long seq) {
        Position checkpoint = null;
        synchronized (this) {
            acked[(int) (seq % CAPACITY)] = true;
            while (true) {
                int head = (int) (contiguous % CAPACITY);
                if (!acked[head]) {
                    break;
                }
                Position p = positions[head];
                acked[head] = false;
                positions[head] = null;
                contiguous++;
                if (contiguous % every == 0) {
                    checkpoint = p;
                }
            }
            acknowledged = contiguous;
        }
        if (checkpoint != null) {
            checkpoints.request(checkpoint);
        }
    }

    /** Events acknowledged with no gap before them. */
    long acknowledged() {
        return acknowledged;
    }
}
