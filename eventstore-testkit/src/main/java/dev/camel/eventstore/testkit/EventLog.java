package dev.camel.eventstore.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory transaction log: every event in global order ({@link AllStream}) plus a per-stream index, with the
 * real server's write rules (expected revisions, idempotent retries, deletes, metadata).
 *
 * <p>One writer at a time (a lock); readers never lock.
 */
final class EventLog {
    /** Positions start past a header, as in a real log, so that no event sits at position 0 (= "start"). */
    static final long FIRST_POSITION = 128;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, StreamState> streams = new ConcurrentHashMap<>();
    private final CopyOnWriteArraySet<Runnable> appendListeners = new CopyOnWriteArraySet<>();
    private final int maxAppendSize;

    /** Where every record also goes when the log outlives its process; {@code null} for a memory-only log. */
    private EventJournal journal;

    private final AllStream all = new AllStream(FIRST_POSITION);

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
            if (all.size() != 0 || journal != null) {
                throw new IllegalStateException("The log must be empty and not yet persisted");
            }
            journal = EventJournal.open(directory, this::restore);
            return all.size();
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
        all.place(stored, eventSize);
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
            StreamState stream = writableStream(streamName);
            AppendResult replay = ExpectedRevisions.idempotentReplay(stream, expectedRevision, events);
            if (replay != null) {
                return replay;
            }
            ExpectedRevisions.check(stream, expectedRevision);
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
     * Soft delete, as the real server does it: metadata {@code {"$tb": EventNumber.DeletedStream}} (replacing any
     * other metadata) makes the stream read as missing; writing to it again continues its revisions.
     */
    long softDelete(String streamName, long expectedRevision) throws LogException {
        return delete(streamName, expectedRevision, stream -> {
            StreamState metastream = streams.get(metadataStreamOf(streamName));
            if (stream.count() == 0 && (metastream == null || metastream.count() == 0)) {
                // the real server refuses to soft-delete a stream that has neither events nor metadata
                throw new LogException.WrongExpectedVersion(streamName, expectedRevision, StreamState.NO_STREAM);
            }
            ObjectNode metadata = JSON.createObjectNode();
            metadata.put("$tb", StreamState.SOFT_DELETED);
            return writeMetadata(streamName, metadata);
        });
    }

    /** Hard delete: a {@code $streamDeleted} record ends the stream for good. */
    long tombstone(String streamName, long expectedRevision) throws LogException {
        return delete(streamName, expectedRevision, stream -> {
            long position = appendRecord(
                    streamName, Long.MAX_VALUE, ProposedEvent.json(StoredEvent.STREAM_DELETED_EVENT_TYPE, ""), null);
            stream.tombstone(all.get(all.size() - 1));
            return position;
        });
    }

    /** The stream, created if new; a tombstoned one takes no more writes. */
    private StreamState writableStream(String streamName) throws LogException {
        StreamState stream = streams.computeIfAbsent(streamName, StreamState::new);
        if (stream.isTombstoned()) {
            throw new LogException.StreamDeleted(streamName);
        }
        return stream;
    }

    /** What a delete writes, under the write lock, once the stream's state allows it; returns its position. */
    private interface Deletion {
        long write(StreamState stream) throws LogException;
    }

    private long delete(String streamName, long expectedRevision, Deletion deletion) throws LogException {
        long position;
        writeLock.lock();
        try {
            StreamState stream = writableStream(streamName);
            ExpectedRevisions.check(stream, expectedRevision);
            position = deletion.write(stream);
            flushJournal();
        } finally {
            writeLock.unlock();
        }
        appendListeners.forEach(Runnable::run);
        return position;
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
        long position = all.headPosition();
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
        all.place(stored, event.size());
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
        return all.size();
    }

    StoredEvent get(int index) {
        return all.get(index);
    }

    /** Position just past the last record: where the next event will be written. */
    long headPosition() {
        return all.headPosition();
    }

    StreamState stream(String name) {
        return streams.get(name);
    }

    /** Index of the first event whose position is {@code >= position}, or {@link #size()} when there is none. */
    int indexAtOrAfter(long position) {
        return all.indexAtOrAfter(position);
    }

    /** Whether a read may start at a position (see {@link AllStream#isValidPosition}). */
    boolean isValidPosition(long position) {
        return all.isValidPosition(position);
    }

    void addAppendListener(Runnable listener) {
        appendListeners.add(listener);
    }

    void removeAppendListener(Runnable listener) {
        appendListeners.remove(listener);
    }
}
