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

    /** The {@code $streamDeleted} record of a tombstoned stream, {@code null} while it is not. */
    private volatile StoredEvent tombstone;
    /**
     * Events below this revision are hidden ({@code $tb}). A soft delete sets it to {@link #SOFT_DELETED}, as the
     * real server does; writing to the stream again sets it to the revision of the first new event.
     */
    private volatile long truncateBefore;
    /** Only the newest {@code maxCount} events are visible ({@code $maxCount}); unlimited when negative. */
    private volatile long maxCount = -1;
    /**
     * A metastream ({@code $$<stream>}) ignores metadata and keeps only its newest event visible: the real server
     * gives every metastream {@code $maxCount} 1 (its default {@code MetastreamMaxCount}).
     */
    private final boolean metastream;

    /** The {@code $tb} value of a soft-deleted stream (the real server's {@code EventNumber.DeletedStream}). */
    static final long SOFT_DELETED = Long.MAX_VALUE;

    StreamState(String name) {
        this.name = name;
        this.metastream = name.startsWith("$$");
    }

    void add(StoredEvent event) {
        StoredEvent[] current = events;
        int n = count;
        if (n == current.length) {
            current = Arrays.copyOf(current, n * 2);
            events = current;
        }
        current[n] = event;
        count = n + 1;
    }

    int count() {
        return count;
    }

    /** Revision of the newest event, or {@link #NO_STREAM}. */
    long lastRevision() {
        return count - 1L;
    }

    StoredEvent get(long revision) {
        return events[(int) revision];
    }

    /** Lowest revision a read may return. */
    long firstVisibleRevision() {
        if (metastream) {
            return Math.max(0, count - 1L);
        }
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
        return count == 0 || isSoftDeleted();
    }

    /** Soft-deleted: its metadata says {@code $tb} = {@link #SOFT_DELETED}, as the real server's IsSoftDeleted. */
    boolean isSoftDeleted() {
        return !metastream && truncateBefore == SOFT_DELETED;
    }

    boolean isTombstoned() {
        return tombstone != null;
    }

    StoredEvent tombstoneRecord() {
        return tombstone;
    }

    void tombstone(StoredEvent record) {
        tombstone = record;
    }

    void applyMetadata(long newMaxCount, long newTruncateBefore) {
        maxCount = newMaxCount;
        truncateBefore = Math.max(0, newTruncateBefore);
    }
}
