package dev.camel.eventstore;

import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The message of an exchange the consumer creates: the event's data as body, and the event's fields as {@link
 * EventStoreConstants} headers, filled in from the event the first time any header is read or written. A route that
 * reads only the body never builds the headers (a case-insensitive map of a dozen entries is most of what an
 * exchange costs); one that reads any of them gets all, as documented.
 */
final class EventStoreMessage extends DefaultMessage {
    private final ResolvedEvent resolved;
    private final SubscriptionPosition position;
    private final int attempt;

    EventStoreMessage(Exchange exchange, ResolvedEvent resolved, SubscriptionPosition position, int attempt) {
        super(exchange);
        this.resolved = resolved;
        this.position = position;
        this.attempt = attempt;
        setBody(event().getEventData());
    }

    /** The event delivered: the resolved one of a link, else the event itself (an unresolvable link: the link). */
    private RecordedEvent event() {
        return resolved.getEvent() != null ? resolved.getEvent() : resolved.getOriginalEvent();
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        RecordedEvent event = event();
        RecordedEvent original = resolved.getOriginalEvent();
        map.put(EventStoreConstants.EVENT_ID, event.getEventId().toString());
        map.put(EventStoreConstants.STREAM_ID, event.getStreamId());
        map.put(EventStoreConstants.EVENT_TYPE, event.getEventType());
        map.put(EventStoreConstants.REVISION, event.getRevision());
        map.put(EventStoreConstants.COMMIT_POSITION, original.getPosition().getCommitUnsigned());
        map.put(EventStoreConstants.PREPARE_POSITION, original.getPosition().getPrepareUnsigned());
        map.put(EventStoreConstants.CONTENT_TYPE, event.getContentType());
        map.put(Exchange.CONTENT_TYPE, event.getContentType());
        map.put(EventStoreConstants.CREATED, event.getCreated());
        map.put(EventStoreConstants.METADATA, event.getUserMetadata());
        map.put(EventStoreConstants.POSITION, position.toString());
        map.put(EventStoreConstants.DELIVERY_ATTEMPT, attempt);
        RecordedEvent link = resolved.getLink();
        if (link != null && resolved.getEvent() != null) {
            map.put(EventStoreConstants.LINK_STREAM_ID, link.getStreamId());
            map.put(EventStoreConstants.LINK_REVISION, link.getRevision());
            map.put(EventStoreConstants.LINK_EVENT_ID, link.getEventId().toString());
        }
    }

    /** A copy is a plain message: its headers are copied, so they are built by then. */
    @Override
    public DefaultMessage newInstance() {
        return new DefaultMessage(getExchange());
    }
}
