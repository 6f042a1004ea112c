package dev.camel.eventstore;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Tells whether the log holds something a quiet subscription should have delivered by now: the 5.4.5 client does
 * not always report a subscription that ended, so a consumer that hears nothing looks at the head of the log.
 */
final class LivenessProbe {
    private static final long READ_TIMEOUT_SECONDS = 10;

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
        if (!settings.all) {
            try {
                List<ResolvedEvent> last = client.readStream(
                                settings.stream,
                                settings.credentials.apply(ReadStreamOptions.get()
                                        .backwards()
                                        .fromEnd()
                                        .maxCount(1)))
                        .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .getEvents();
                return !last.isEmpty()
                        && SubscriptionPosition.ofRevision(
                                        last.get(0).getOriginalEvent().getRevision())
                                .isAfter(lastSeen);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StreamNotFoundException) {
                    return false;
                }
                throw e;
            }
        }
        int window = filter == null ? 1 : settings.checkpointInterval();
        List<ResolvedEvent> newest = client.readAll(settings.credentials.apply(
                        ReadAllOptions.get().backwards().fromEnd().maxCount(window)))
                .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .getEvents();
        int newer = 0;
        for (ResolvedEvent event : newest) {
            RecordedEvent original = event.getOriginalEvent();
            if (!SubscriptionPosition.ofAll(original.getPosition()).isAfter(lastSeen)) {
                break;
            }
            newer++;
            if (filter == null || filter.matcher(subject(original)).find()) {
                return true;
            }
        }
        return newer >= window;
    }

    private String subject(RecordedEvent event) {
        return settings.filterOnStreamName ? event.getStreamId() : event.getEventType();
    }
}
