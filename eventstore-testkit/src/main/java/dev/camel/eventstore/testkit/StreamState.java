package dev.camel.eventstore.testkit;

import java.util.Arrays;

/**
 * The events of one stream and what limits their visibility.
 *
 * <p>Written only under the log's write lock. Readers take no lock: {@link #count} is published last, after the
 * array that holds the entries, so a reader that sees a count also sees every entry below it.
 */
final class StreamState {
    static final long NO_STREAM = -1;

    final String name;
    private volatile StoredEvent[] events = new StoredEvent[4];
    /** Number of events ever written; the revision of event {@code i} is {@code i}. */
    private volatile int count;

    private volatile boolean tombstoned;
    /** Events below this revision are hidden ({@code $tb}, also set by a soft delete). */
    private volatile long truncateBefore;
    /** Only the newest {@code maxCount} events are visible ({@code $maxCount}); unlimited when negative. */
    private volatile long maxCount = -1;
    /** A soft-deleted stream reads as missing until it is written again. */
    private volatile boolean softDeleted;

    StreamState(String name) {
        this.name = name;
    }

    void add(StoredEvent event) {
        StoredEvent[] current = events;
        int n = count;
        if (n == current.length) {
            current = Arrays.copyOf(current, n * 2);
            events = current;
        }
        current[n] = event;
        softDeleted = false;
        count = n + 1;
    }

    int count() {
        return count;
    }

    /** Revision of the newest event, or {@link #NO_STREAM}. */
    long lastRevision() {
        return count - 1L;
    }

    /**
     * The revision an expected-revision check compares with: a stream that was never written or was soft-deleted
     * counts as having no stream.
     */
    long currentRevisionForWrite() {
        return softDeleted || count == 0 ? NO_STREAM : count - 1L;
    }

    StoredEvent get(long revision) {
        return events[(int) revision];
    }

    /** Lowest revision a read may return. */
    long firstVisibleRevision() {
        long first = truncateBefore;
        if (maxCount >= 0) {
            first = Math.max(first, count - maxCount);
        }
        return Math.max(0, first);
    }

    boolean isVisible(long revision) {
        return revision >= firstVisibleRevision() && revision < count;
    }

    /** True when reads answer stream-not-found: never written, or soft-deleted and not written since. */
    boolean readsAsMissing() {
        return count == 0 || softDeleted;
    }

    boolean isTombstoned() {
        return tombstoned;
    }

    void tombstone() {
        tombstoned = true;
    }

    void softDelete() {
        truncateBefore = count;
        softDeleted = true;
    }

    void applyMetadata(long newMaxCount, long newTruncateBefore) {
        maxCount = newMaxCount;
        truncateBefore = Math.max(0, newTruncateBefore);
    }
}
