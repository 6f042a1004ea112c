package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import dev.camel.eventstore.client.Timeouts;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The newest events of the consumer's stream or of {@code $all}, newest first: where "end" is, and what is new. */
final class LogHead {
    private static final long READ_TIMEOUT_MILLIS = Timeouts.OPERATION.toMillis();

    private LogHead() {}

    /** Up to {@code count} newest events; empty for a missing stream. */
    static List<ResolvedEvent> newest(EventStoreDBClient client, ConsumerSettings settings, int count)
            throws Exception {
        if (settings.all) {
            return client.readAll(settings.credentials.apply(
                            ReadAllOptions.get().backwards().fromEnd().maxCount(count)))
                    .get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .getEvents();
        }
        try {
            return client.readStream(
                            settings.stream,
                            settings.credentials.apply(ReadStreamOptions.get()
                                    .backwards()
                                    .fromEnd()
                                    .maxCount(count)))
                    .get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .getEvents();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /** The position of an event as the consumer counts it: in $all, or its revision in the stream. */
    static SubscriptionPosition positionOf(ResolvedEvent event, ConsumerSettings settings) {
        return settings.all
                ? SubscriptionPosition.ofAll(event.getOriginalEvent().getPosition())
                : SubscriptionPosition.ofRevision(event.getOriginalEvent().getRevision());
    }

    /** The position of the newest event, or START for an empty log or a missing stream. */
    static SubscriptionPosition position(EventStoreDBClient client, ConsumerSettings settings) throws Exception {
        List<ResolvedEvent> newest = newest(client, settings, 1);
        return newest.isEmpty() ? SubscriptionPosition.START : positionOf(newest.get(0), settings);
    }
}
