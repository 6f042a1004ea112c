package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.proto.shared.Shared;
import com.google.protobuf.ByteString;

/** An event as a writer proposes it, before the log gives it a revision and a position. */
record ProposedEvent(Shared.UUID id, String eventType, String contentType, ByteString data, ByteString customMetadata) {

    static Shared.UUID uuid(java.util.UUID id) {
        return Shared.UUID
                .newBuilder()
                .setStructured(Shared.UUID
                        .Structured
                        .newBuilder()
                        .setMostSignificantBits(id.getMostSignificantBits())
                        .setLeastSignificantBits(id.getLeastSignificantBits()))
                .build();
    }

    /** An event as the client builds it, for appends that bypass the network. */
    static ProposedEvent of(EventData event) {
        return new ProposedEvent(
                uuid(event.getEventId()),
                event.getEventType(),
                event.getContentType(),
                ByteString.copyFrom(event.getEventData()),
                event.getUserMetadata() == null ? ByteString.EMPTY : ByteString.copyFrom(event.getUserMetadata()));
    }

    static ProposedEvent json(String eventType, String json) {
        return new ProposedEvent(
                uuid(java.util.UUID.randomUUID()),
                eventType,
                "application/json",
                ByteString.copyFromUtf8(json),
                ByteString.EMPTY);
    }

    /**
     * Size as the real server counts it against its maximum append size ({@code Event.SizeOnDisk}: the type counts
     * two bytes per UTF-16 char); also used to advance log positions.
     */
    int size() {
        return 2 * eventType.length() + data.size() + customMetadata.size();
    }
}
