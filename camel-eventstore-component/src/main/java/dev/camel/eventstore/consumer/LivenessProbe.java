package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.regex.Pattern;

/**
 * Tells whether the log holds something a quiet subscription should have delivered by now: the 5.4.5 client does
 * not always report a subscription that ended, so a consumer that hears nothing looks at the head of the log.
 */
final class LivenessProbe {

    private final ConsumerSettings settings;
    private final Pattern filter;

    LivenessProbe(ConsumerSettings settings) {
        this.settings = settings;
        this.filter = settings.filterRegex == null ? null : Pattern.compile(settings.filterRegex);
    }

    /**
     * True when the subscription should have received more than it has: for a stream, an event after {@code
     * lastSeen}; for {@code $all}, an event after it that passes the filter, or as many events as make the server
     * send a checkpoint.
     */
    boolean behind(EventStoreDBClient client, SubscriptionPosition lastSeen) throws Exception {
        int window = settings.all && filter != null ? settings.checkpointInterval() : 1;
        int newer = 0;
        for (ResolvedEvent event : LogHead.newest(client, settings, window)) {
            if (!LogHead.positionOf(event, settings).isAfter(lastSeen)) {
                break;
            }
            newer++;
            if (filter == null
                    || filter.matcher(subject(event.getOriginalEvent())).find()) {
                return true;
            }
        }
        return newer >= window;
    }

    private String subject(RecordedEvent event) {
        return settings.filterOnStreamName ? event.getStreamId() : event.getEventType();
    }
}
