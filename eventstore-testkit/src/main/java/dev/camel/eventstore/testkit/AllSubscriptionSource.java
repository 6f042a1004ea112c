package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;

/**
 * A catch-up subscription to {@code $all}: confirmation, the events after the start position, caught-up, then
 * live events, with the checkpoints of a filtered subscription.
 *
 * <p>Catch-up and live are the same cursor over the log; the subscription is live once the cursor reaches the
 * head. A filtered subscription sends a checkpoint every {@code window x multiplier} events it reads, matched or
 * not, and one when it goes live after catching up.
 */
final class AllSubscriptionSource implements ResponsePump.Source {
    private final EventLog log;
    private final LinkResolver links;
    private final EventFilter filter;
    private final StatusRuntimeException startError;
    private final ArrayDeque<ReadResp> queue = new ArrayDeque<>();
    private int cursor;
    private boolean caughtUp;
    private boolean readAnything;
    private long considered;
    private long lastConsideredPosition;
    /** The real server never sends a checkpoint at or before the previous one (it skips duplicates). */
    private long lastCheckpoint = -1;

    /**
     * @param startAfter the exclusive start position; {@code -1} for the start of the log, {@link Long#MAX_VALUE}
     *     for its end
     */
    AllSubscriptionSource(EventLog log, LinkResolver links, EventFilter filter, long startAfter) {
        this.log = log;
        this.links = links;
        this.filter = filter;
        queue.add(Responses.confirmation());
        if (startAfter == Long.MAX_VALUE) {
            cursor = log.size();
            lastConsideredPosition = -1;
            startError = null;
        } else if (startAfter < 0) {
            cursor = 0;
            lastConsideredPosition = -1;
            startError = null;
        } else {
            // the error, like on the real server, comes after the confirmation
            startError = log.isValidPosition(startAfter) ? null : Responses.invalidPosition();
            int index = log.indexAtOrAfter(startAfter);
            if (index < log.size() && log.get(index).position == startAfter) {
                index++;
            }
            cursor = index;
            lastConsideredPosition = startAfter;
        }
    }

    @Override
    public Object next() {
        ReadResp queued = queue.poll();
        if (queued != null) {
            return queued;
        }
        if (startError != null) {
            throw startError;
        }
        int head = log.size();
        while (cursor < head) {
            StoredEvent event = log.get(cursor++);
            readAnything = true;
            Object out = filter == null || filter.test(event) ? links.respond(event) : null;
            if (filter != null) {
                lastConsideredPosition = event.position;
                if (++considered >= filter.checkpointInterval) {
                    considered = 0;
                    lastCheckpoint = event.position;
                    ReadResp checkpoint = Responses.checkpoint(event.position);
                    if (out == null) {
                        return checkpoint;
                    }
                    queue.add(checkpoint);
                }
            }
            if (out != null) {
                return out;
            }
        }
        if (!caughtUp) {
            caughtUp = true;
            if (filter != null && readAnything && lastConsideredPosition > lastCheckpoint) {
                lastCheckpoint = lastConsideredPosition;
                queue.add(Responses.CAUGHT_UP);
                return Responses.checkpoint(lastConsideredPosition);
            }
            return Responses.CAUGHT_UP;
        }
        return null;
    }

    @Override
    public boolean finished() {
        return false;
    }
}
