package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * One event record in the log, immutable once appended.
 *
 * <p>The record is kept in its wire form: the serialised response that delivers it unresolved. Every read and
 * subscription sends those same bytes, so delivering an event costs no encoding work at all, and the log holds
 * each event once. The few fields the server itself looks at are kept beside it.
 */
final class StoredEvent {
    static final String LINK_EVENT_TYPE = "$>";
    static final String METADATA_EVENT_TYPE = "$metadata";
    static final String STREAM_DELETED_EVENT_TYPE = "$streamDeleted";

    final String streamName;
    final long revision;
    final String eventType;
    /** Log position; commit and prepare positions are equal, as for every event a modern server writes. */
    final long position;

    private final long idMostSignificantBits;
    private final long idLeastSignificantBits;
    /** The serialised {@code ReadResp} carrying this event with no link. */
    final byte[] wire;

    StoredEvent(
            String streamName,
            long revision,
            Shared.UUID id,
            String eventType,
            String contentType,
            long createdTicks,
            ByteString data,
            ByteString customMetadata,
            long position) {
        this.streamName = streamName;
        this.revision = revision;
        this.eventType = eventType;
        this.position = position;
        Shared.UUID.Structured structured = id.getStructured();
        this.idMostSignificantBits = structured.getMostSignificantBits();
        this.idLeastSignificantBits = structured.getLeastSignificantBits();
        ReadResp.ReadEvent.RecordedEvent recorded = ReadResp.ReadEvent.RecordedEvent.newBuilder()
                .setId(id)
                .setStreamIdentifier(Responses.streamIdentifier(streamName))
                .setStreamRevision(revision)
                .setCommitPosition(position)
                .setPreparePosition(position)
                .putMetadata("type", eventType)
                .putMetadata("content-type", contentType)
                .putMetadata("created", Long.toString(createdTicks))
                .setCustomMetadata(customMetadata)
                .setData(data)
                .build();
        this.wire = ReadResp.newBuilder()
                .setEvent(ReadResp.ReadEvent.newBuilder().setEvent(recorded).setCommitPosition(position))
                .build()
                .toByteArray();
    }

    /** A record from its wire form, as {@link EventJournal} stores it. */
    static StoredEvent fromWire(byte[] wire) {
        ReadResp.ReadEvent.RecordedEvent recorded;
        try {
            recorded = ReadResp.parseFrom(wire).getEvent().getEvent();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Corrupt record in the event journal", e);
        }
        return new StoredEvent(
                recorded.getStreamIdentifier().getStreamName().toStringUtf8(),
                recorded.getStreamRevision(),
                recorded.getId(),
                recorded.getMetadataOrThrow("type"),
                recorded.getMetadataOrThrow("content-type"),
                Long.parseLong(recorded.getMetadataOrThrow("created")),
                recorded.getData(),
                recorded.getCustomMetadata(),
                recorded.getCommitPosition());
    }

    boolean isLink() {
        return LINK_EVENT_TYPE.equals(eventType);
    }

    boolean hasId(Shared.UUID id) {
        Shared.UUID.Structured structured = id.getStructured();
        return structured.getMostSignificantBits() == idMostSignificantBits
                && structured.getLeastSignificantBits() == idLeastSignificantBits;
    }

    /** The record as a message, decoded from its wire form (only links and metadata need it). */
    ReadResp.ReadEvent.RecordedEvent recorded() {
        try {
            return ReadResp.parseFrom(wire).getEvent().getEvent();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt stored event", e);
        }
    }

    ByteString data() {
        return recorded().getData();
    }
}
