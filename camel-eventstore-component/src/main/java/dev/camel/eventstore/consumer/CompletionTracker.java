package dev.camel.eventstore.consumer;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.ArrayDeque;

/**
 * The processed position: the highest position up to which every dispatched event has completed.
 *
 * <p>Entries are registered in dispatch (log) order and may complete in any order; the watermark only moves over
 * the contiguous run of completed entries at the head, so it never passes an event that is still in flight or that
 * failed.
 */
final class CompletionTracker {
    /** One dispatched event or marker. */
    static final class Entry {
        final SubscriptionPosition position;
        private boolean done;

        private Entry(SubscriptionPosition position) {
            this.position = position;
        }
    }

    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private SubscriptionPosition watermark;

    /** Sets the starting point once the subscription knows where it starts; no effect after that. */
    synchronized void startAt(SubscriptionPosition start) {
        if (watermark == null) {
            watermark = start;
        }
    }

    synchronized Entry register(SubscriptionPosition position) {
        Entry entry = new Entry(position);
        pending.addLast(entry);
        return entry;
    }

    /**
     * Marks an entry completed.
     *
     * @return the new watermark if it moved, else {@code null}
     */
    synchronized SubscriptionPosition complete(Entry entry) {
        entry.done = true;
        SubscriptionPosition moved = null;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            moved = pending.removeFirst().position;
        }
        if (moved != null) {
            watermark = moved;
        }
        return moved;
    }

    /** The processed position, or {@code null} before the subscription started. */
    synchronized SubscriptionPosition watermark() {
        return watermark;
    }

    /** Entries dispatched and not yet covered by the watermark. */
    synchronized int outstanding() {
        return pending.size();
    }
}
