package dev.camel.eventstore;

import org.apache.camel.spi.Metadata;

/** The headers the {@code eventstore:} consumer sets and the producer reads and sets. */
public final class EventStoreConstants {
    // ---- set by the consumer ----

    @Metadata(
            description = "Consumer: the event's id. Producer: the id of the event to append (a UUID; random when"
                    + " absent; not for a List body).",
            javaType = "String",
            important = true)
    public static final String EVENT_ID = "CamelEventStoreEventId";

    @Metadata(
            label = "consumer",
            description = "The stream the event belongs to (of the resolved event when a link was resolved).",
            javaType = "String",
            important = true)
    public static final String STREAM_ID = "CamelEventStoreStreamId";

    @Metadata(
            description = "Consumer: the event's type. Producer: the type of the events to append (overrides the"
                    + " eventType option).",
            javaType = "String",
            important = true)
    public static final String EVENT_TYPE = "CamelEventStoreEventType";

    @Metadata(label = "consumer", description = "The event's revision in its stream.", javaType = "Long")
    public static final String REVISION = "CamelEventStoreRevision";

    @Metadata(
            description = "Consumer: the commit position in $all of the event that was read (the link, when a link"
                    + " was resolved). Producer: the commit position of the last appended event.",
            javaType = "Long")
    public static final String COMMIT_POSITION = "CamelEventStoreCommitPosition";

    @Metadata(
            description = "Consumer: the prepare position in $all of the event that was read. Producer: the prepare"
                    + " position of the last appended event.",
            javaType = "Long")
    public static final String PREPARE_POSITION = "CamelEventStorePreparePosition";

    @Metadata(
            description = "Consumer: the event's content type (application/json or application/octet-stream)."
                    + " Producer: the content type of the events to append (overrides the contentType option).",
            javaType = "String")
    public static final String CONTENT_TYPE = "CamelEventStoreContentType";

    @Metadata(label = "consumer", description = "When the event was written.", javaType = "java.time.Instant")
    public static final String CREATED = "CamelEventStoreCreated";

    @Metadata(
            description = "Consumer: the event's user metadata as bytes (empty when it has none). Producer: user"
                    + " metadata to append with the events (a byte array, or a String written as UTF-8).",
            javaType = "byte[]")
    public static final String METADATA = "CamelEventStoreMetadata";

    @Metadata(
            label = "consumer",
            description = "When a link was resolved: the stream of the link event.",
            javaType = "String")
    public static final String LINK_STREAM_ID = "CamelEventStoreLinkStreamId";

    @Metadata(
            label = "consumer",
            description = "When a link was resolved: the revision of the link event in its stream.",
            javaType = "Long")
    public static final String LINK_REVISION = "CamelEventStoreLinkRevision";

    @Metadata(label = "consumer", description = "When a link was resolved: the link event's id.", javaType = "String")
    public static final String LINK_EVENT_ID = "CamelEventStoreLinkEventId";

    @Metadata(
            label = "consumer",
            description = "The position the subscription has reached with this event, in the text form the"
                    + " checkpoints use: commit/prepare for $all, the revision for a stream.",
            javaType = "String")
    public static final String POSITION = "CamelEventStorePosition";

    @Metadata(
            label = "consumer",
            description = "Which delivery of the event this is: 1 the first time, more when a failed exchange is"
                    + " delivered again.",
            javaType = "Integer")
    public static final String DELIVERY_ATTEMPT = "CamelEventStoreDeliveryAttempt";

    // ---- read by the producer ----

    @Metadata(
            label = "producer",
            description = "The revision the stream must be at: any, no_stream, stream_exists or a revision number"
                    + " (overrides the expectedRevision option).",
            javaType = "String")
    public static final String EXPECTED_REVISION = "CamelEventStoreExpectedRevision";

    @Metadata(
            label = "producer",
            description = "Overrides the stream to append to (the endpoint's stream otherwise).",
            javaType = "String")
    public static final String STREAM = "CamelEventStoreStream";

    // ---- set by the producer ----

    @Metadata(
            label = "producer",
            description = "After an append: the stream's revision, to use as the next expected revision.",
            javaType = "Long")
    public static final String NEXT_EXPECTED_REVISION = "CamelEventStoreNextExpectedRevision";

    private EventStoreConstants() {}
}
