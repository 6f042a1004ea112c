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
 *
 * <p>A processor that needs the event's fields and not the headers can read them from the event itself: {@code
 * exchange.getIn(EventStoreMessage.class).getEvent()} (as camel-jms hands out its {@code JmsMessage}).
 */
public final class EventStoreMessage extends DefaultMessage {
    private final ResolvedEvent resolved;
    private final SubscriptionPosition position;
    private final int attempt;

    EventStoreMessage(Exchange exchange, ResolvedEvent resolved, SubscriptionPosition position, int attempt) {
        super(exchange);
        this.resolved = resolved;
        this.position = position;
        this.attempt = attempt;
        setBody(getEvent().getEventData());
    }

    /** The event delivered: the resolved one of a link, else the event itself (an unresolvable link: the link). */
    public RecordedEvent getEvent() {
        return resolved.getEvent() != null ? resolved.getEvent() : resolved.getOriginalEvent();
    }

    /**
     * The event as the subscription read it: a link with the event it points to, or an event. Its original event's
     * position is the position in {@code $all} ({@link EventStoreConstants#COMMIT_POSITION}).
     */
    public ResolvedEvent getResolvedEvent() {
        return resolved;
    }

    /** The event read from the subscription: the link for a resolved link, else the event. */
    RecordedEvent original() {
        return resolved.getOriginalEvent();
    }

    /** The link that was resolved to {@link #getEvent()}; {@code null} when the event was not read through a link. */
    RecordedEvent link() {
        return resolved.getEvent() != null ? resolved.getLink() : null;
    }

    SubscriptionPosition position() {
        return position;
    }

    /** Which delivery of the event this is ({@link EventStoreConstants#DELIVERY_ATTEMPT}): 1, then 2 on a retry, ... */
    public int getDeliveryAttempt() {
        return attempt;
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }

    @Override
    protected Map<String, Object> createHeaders() {
        return EventHeaders.of(
                this, getCamelContext().getCamelContextExtension().getHeadersMapFactory());
    }

    /** A copy is a plain message: its headers are copied, so they are built by then. */
    @Override
    public DefaultMessage newInstance() {
        return new DefaultMessage(getExchange());
    }
}
