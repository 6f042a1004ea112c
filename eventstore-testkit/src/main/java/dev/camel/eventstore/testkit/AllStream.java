package dev.camel.eventstore.testkit;

import java.util.Arrays;

/**
 * {@code $all}: every record in global order, with the position where the next one goes.
 *
 * <p>One writer at a time (the {@link EventLog}'s lock); readers never lock. Records live in fixed-size chunks so that
 * growing never copies them, and {@link #size} is published after the record is in place.
 */
final class AllStream {
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    /** Bytes a record takes besides its stream name and event, so that positions advance as in a real log. */
    private static final int RECORD_OVERHEAD = 64;

    private volatile StoredEvent[][] chunks = new StoredEvent[16][];
    private volatile int size;
    private volatile long headPosition;

    AllStream(long firstPosition) {
        this.headPosition = firstPosition;
    }

    /** Puts a record at the end and moves the head past it; the caller holds the write lock. */
    void place(StoredEvent stored, int eventSize) {
        int index = size;
        StoredEvent[][] current = chunks;
        int chunk = index >>> CHUNK_BITS;
        if (chunk == current.length) {
            current = Arrays.copyOf(current, current.length * 2);
        }
        if (current[chunk] == null) {
            current[chunk] = new StoredEvent[CHUNK_SIZE];
        }
        current[chunk][index & (CHUNK_SIZE - 1)] = stored;
        chunks = current;
        headPosition = stored.position + RECORD_OVERHEAD + stored.streamName.length() + eventSize;
        size = index + 1;
    }

    int size() {
        return size;
    }

    StoredEvent get(int index) {
        return chunks[index >>> CHUNK_BITS][index & (CHUNK_SIZE - 1)];
    }

    /** Position just past the last record: where the next event will be written. */
    long headPosition() {
        return headPosition;
    }

    /** Index of the first event whose position is {@code >= position}, or {@link #size()} when there is none. */
    int indexAtOrAfter(long position) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (get(mid).position < position) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /**
     * Whether a read may start at a position: the start of the log, a record boundary, or the head and beyond
     * (the real server answers "invalid position" for anything in the middle of a record).
     */
    boolean isValidPosition(long position) {
        if (position == 0 || position >= headPosition) {
            return true;
        }
        int index = indexAtOrAfter(position);
        return index < size && get(index).position == position;
    }
}
