package dev.camel.eventstore;

import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.position.SubscriptionPosition;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Fills an exchange from an event: the data as body, the event's fields as {@link EventStoreConstants} headers. */
final class EventExchanges {
    private EventExchanges() {}

    static void populate(Exchange exchange, ResolvedEvent resolved, SubscriptionPosition position) {
        // an unresolvable link arrives without its event: the link itself is delivered
        RecordedEvent event = resolved.getEvent() != null ? resolved.getEvent() : resolved.getOriginalEvent();
        RecordedEvent original = resolved.getOriginalEvent();
        Message message = exchange.getMessage();
        message.setBody(event.getEventData());
        message.setHeader(EventStoreConstants.EVENT_ID, event.getEventId().toString());
        message.setHeader(EventStoreConstants.STREAM_ID, event.getStreamId());
        message.setHeader(EventStoreConstants.EVENT_TYPE, event.getEventType());
        message.setHeader(EventStoreConstants.REVISION, event.getRevision());
        message.setHeader(
                EventStoreConstants.COMMIT_POSITION, original.getPosition().getCommitUnsigned());
        message.setHeader(
                EventStoreConstants.PREPARE_POSITION, original.getPosition().getPrepareUnsigned());
        message.setHeader(EventStoreConstants.CONTENT_TYPE, event.getContentType());
        message.setHeader(Exchange.CONTENT_TYPE, event.getContentType());
        message.setHeader(EventStoreConstants.CREATED, event.getCreated());
        message.setHeader(EventStoreConstants.METADATA, event.getUserMetadata());
        message.setHeader(EventStoreConstants.POSITION, position.toString());
        RecordedEvent link = resolved.getLink();
        if (link != null && resolved.getEvent() != null) {
            message.setHeader(EventStoreConstants.LINK_STREAM_ID, link.getStreamId());
            message.setHeader(EventStoreConstants.LINK_REVISION, link.getRevision());
            message.setHeader(
                    EventStoreConstants.LINK_EVENT_ID, link.getEventId().toString());
        }
    }
}
