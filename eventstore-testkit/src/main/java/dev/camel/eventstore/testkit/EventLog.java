package dev.camel.eventstore.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory transaction log: every event in global order ({@code $all}) plus a per-stream index.
 *
 * <p>One writer at a time (a lock); readers never lock. Events live in fixed-size chunks so that growing the log
 * never copies events, and {@link #size} is published after the event is in place.
 */
final class EventLog {
    /** Positions start past a header, as in a real log, so that no event sits at position 0 (= "start"). */
    static final long FIRST_POSITION = 128;

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int RECORD_OVERHEAD = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, StreamState> streams = new ConcurrentHashMap<>();
    private final CopyOnWriteArraySet<Runnable> appendListeners = new CopyOnWriteArraySet<>();
    private final int maxAppendSize;

    /** Where every record also goes when the log outlives its process; {@code null} for a memory-only log. */
    private EventJournal journal;

    private volatile StoredEvent[][] chunks = new StoredEvent[16][];
    private volatile int size;
    private volatile long headPosition = FIRST_POSITION;

    EventLog(int maxAppendSize) {
        this.maxAppendSize = maxAppendSize;
    }

    record AppendResult(long currentRevision, long position) {}

    /**
     * Keeps the log in {@code directory} from now on, after restoring the records an earlier log stored there.
     * Called before anything is written.
     *
     * @return the number of records restored
     */
    int persistTo(java.nio.file.Path directory) {
        writeLock.lock();
        try {
            if (size != 0 || journal != null) {
                throw new IllegalStateException("The log must be empty and not yet persisted");
            }
            journal = EventJournal.open(directory, this::restore);
            return size;
        } finally {
            writeLock.unlock();
        }
    }

    void closeJournal() {
        writeLock.lock();
        try {
            if (journal != null) {
                journal.close();
                journal = null;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Puts back one record of the journal, with the stream and metadata state it implies. */
    private void restore(byte[] wire) {
        StoredEvent stored = StoredEvent.fromWire(wire);
        var recorded = stored.recorded();
        int eventSize = 2 * stored.eventType.length()
                + recorded.getData().size()
                + recorded.getCustomMetadata().size();
        StreamState stream = streams.computeIfAbsent(stored.streamName, StreamState::new);
        place(stored, eventSize);
        if (StoredEvent.STREAM_DELETED_EVENT_TYPE.equals(stored.eventType)) {
            stream.tombstone(stored);
            return;
        }
        stream.add(stored);
        if (StoredEvent.METADATA_EVENT_TYPE.equals(stored.eventType) && stored.streamName.startsWith("$$")) {
            applyMetadata(stored.streamName.substring(2), recorded.getData());
        }
    }

    /**
     * Appends events to a stream if its current revision satisfies {@code expectedRevision}.
     *
     * @return the stream's revision after the append and the position of its last event ({@code -1} for an empty
     *     append)
     */
    AppendResult append(String streamName, long expectedRevision, List<ProposedEvent> events) throws LogException {
        int total = 0;
        for (ProposedEvent event : events) {
            total += event.size();
        }
        if (total > maxAppendSize) {
            throw new LogException.AppendTooLarge(streamName, maxAppendSize);
        }
        AppendResult result;
        writeLock.lock();
        try {
            StreamState stream = streams.computeIfAbsent(streamName, StreamState::new);
            if (stream.isTombstoned()) {
                throw new LogException.StreamDeleted(streamName);
            }
            AppendResult replay = idempotentReplay(stream, expectedRevision, events);
            if (replay != null) {
                return replay;
            }
            checkExpected(stream, expectedRevision);
            boolean undelete = stream.isSoftDeleted() && !events.isEmpty();
            long firstNewRevision = stream.count();
            long position = -1;
            for (ProposedEvent event : events) {
                position = write(stream, event);
            }
            if (undelete) {
                // as the real server: after the events, metadata that hides everything before them
                ObjectNode metadata = currentMetadata(streamName);
                metadata.put("$tb", firstNewRevision);
                writeMetadata(streamName, metadata);
            }
            result = new AppendResult(stream.lastRevision(), position);
            flushJournal();
        } finally {
            writeLock.unlock();
        }
        if (!events.isEmpty()) {
            appendListeners.forEach(Runnable::run);
        }
        return result;
    }

    /**
     * A retried append of events already written (same ids, same place) succeeds without writing them again, as
     * on the real server.
     */
    private static AppendResult idempotentReplay(StreamState stream, long expected, List<ProposedEvent> events) {
        int n = events.size();
        if (n == 0 || stream.count() < n) {
            return null;
        }
        long first;
        if (expected >= 0) {
            first = expected + 1;
        } else if (expected == ExpectedVersion.NO_STREAM) {
            first = 0;
        } else if (expected == ExpectedVersion.ANY) {
            first = stream.count() - (long) n;
        } else {
            return null;
        }
        if (first < 0 || first + n > stream.count()) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            if (!stream.get(first + i).hasId(events.get(i).id())) {
                return null;
            }
        }
        long last = first + n - 1;
        return new AppendResult(last, stream.get(last).position);
    }

    /**
     * Soft delete, as the real server does it: metadata {@code {"$tb": EventNumber.DeletedStream}} (replacing any
     * other metadata) makes the stream read as missing; writing to it again continues its revisions.
     */
    long softDelete(String streamName, long expectedRevision) throws LogException {
        long position;
        writeLock.lock();
        try {
            StreamState stream = checkDeletable(streamName, expectedRevision);
            StreamState metastream = streams.get(metadataStreamOf(streamName));
            if (stream.count() == 0 && (metastream == null || metastream.count() == 0)) {
                // the real server refuses to soft-delete a stream that has neither events nor metadata
                throw new LogException.WrongExpectedVersion(streamName, expectedRevision, StreamState.NO_STREAM);
            }
            ObjectNode metadata = JSON.createObjectNode();
            metadata.put("$tb", StreamState.SOFT_DELETED);
            position = writeMetadata(streamName, metadata);
            flushJournal();
        } finally {
            writeLock.unlock();
        }
        appendListeners.forEach(Runnable::run);
        return position;
    }

    /** Hard delete: a {@code $streamDeleted} record ends the stream for good. */
    long tombstone(String streamName, long expectedRevision) throws LogException {
        long position;
        writeLock.lock();
        try {
            StreamState stream = checkDeletable(streamName, expectedRevision);
            position = appendRecord(
                    streamName, Long.MAX_VALUE, ProposedEvent.json(StoredEvent.STREAM_DELETED_EVENT_TYPE, ""), null);
            stream.tombstone(get(size - 1));
            flushJournal();
        } finally {
            writeLock.unlock();
        }
        appendListeners.forEach(Runnable::run);
        return position;
    }

    private StreamState checkDeletable(String streamName, long expectedRevision) throws LogException {
        StreamState stream = streams.computeIfAbsent(streamName, StreamState::new);
        if (stream.isTombstoned()) {
            throw new LogException.StreamDeleted(streamName);
        }
        checkExpected(stream, expectedRevision);
        return stream;
    }

    /**
     * The real server's expected-version check. Its current revision is the last event's even when the stream is
     * soft-deleted: "no stream" is then accepted too (the stream is recreated), "stream exists" is not.
     */
    private void checkExpected(StreamState stream, long expected) throws LogException {
        long current = stream.lastRevision();
        boolean satisfied;
        if (expected == ExpectedVersion.ANY) {
            satisfied = true;
        } else if (expected == ExpectedVersion.NO_STREAM) {
            satisfied = current == StreamState.NO_STREAM || stream.isSoftDeleted();
        } else if (expected == ExpectedVersion.STREAM_EXISTS) {
            satisfied = current != StreamState.NO_STREAM && !stream.isSoftDeleted();
        } else {
            satisfied = expected == current;
        }
        if (!satisfied) {
            throw new LogException.WrongExpectedVersion(stream.name, expected, current);
        }
    }

    private long writeMetadata(String streamName, ObjectNode metadata) {
        return write(
                streams.computeIfAbsent(metadataStreamOf(streamName), StreamState::new),
                ProposedEvent.json(StoredEvent.METADATA_EVENT_TYPE, metadata.toString()));
    }

    private ObjectNode currentMetadata(String streamName) {
        StreamState metaStream = streams.get(metadataStreamOf(streamName));
        if (metaStream != null && metaStream.count() > 0) {
            try {
                JsonNode node = JSON.readTree(
                        metaStream.get(metaStream.lastRevision()).data().toByteArray());
                if (node instanceof ObjectNode object) {
                    return object;
                }
            } catch (IOException ignored) {
                // unreadable metadata is replaced
            }
        }
        return JSON.createObjectNode();
    }

    private long write(StreamState stream, ProposedEvent event) {
        long position = appendRecord(stream.name, stream.count(), event, stream);
        if (StoredEvent.METADATA_EVENT_TYPE.equals(event.eventType()) && stream.name.startsWith("$$")) {
            applyMetadata(stream.name.substring(2), event.data());
        }
        return position;
    }

    private long appendRecord(String streamName, long revision, ProposedEvent event, StreamState stream) {
        long position = headPosition;
        StoredEvent stored = new StoredEvent(
                streamName,
                revision,
                event.id(),
                event.eventType(),
                event.contentType(),
                ticksNow(),
                event.data(),
                event.customMetadata(),
                position);
        place(stored, event.size());
        if (stream != null) {
            stream.add(stored);
        }
        if (journal != null) {
            journal.write(stored.wire);
        }
        return position;
    }

    private void flushJournal() {
        if (journal != null) {
            journal.flush();
        }
    }

    /** Puts a record at the end of {@code $all} and moves the head past it. */
    private void place(StoredEvent stored, int eventSize) {
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

    private void applyMetadata(String streamName, ByteString json) {
        long maxCount = -1;
        long truncateBefore = 0;
        try {
            JsonNode node = JSON.readTree(json.toByteArray());
            if (node != null && node.has("$maxCount")) {
                maxCount = node.get("$maxCount").asLong(-1);
            }
            if (node != null && node.has("$tb")) {
                truncateBefore = node.get("$tb").asLong(0);
            }
        } catch (IOException ignored) {
            // the real server keeps unparseable metadata without applying it
        }
        streams.computeIfAbsent(streamName, StreamState::new).applyMetadata(maxCount, truncateBefore);
    }

    static String metadataStreamOf(String streamName) {
        return "$$" + streamName;
    }

    private static long ticksNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 10_000_000L + now.getNano() / 100;
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

    StreamState stream(String name) {
        return streams.get(name);
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

    void addAppendListener(Runnable listener) {
        appendListeners.add(listener);
    }

    void removeAppendListener(Runnable listener) {
        appendListeners.remove(listener);
    }
}
