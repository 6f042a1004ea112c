package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.Checkpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What a connector stored in its checkpoint stream {@code camel-checkpoint-<id>}: the newest checkpoint (a read of
 * the stream, as the connector reads it when it starts), and every checkpoint ever written, with when it was written
 * (from {@code $all}, where the stream's {@code $maxCount} truncation does not reach).
 */
final class CheckpointHistory {
    /** One checkpoint event: when the server stored it, and the {@code $all} position it holds. */
    record Stored(Instant written, SubscriptionPosition position) {}

    private CheckpointHistory() {}

    static String stream(String connectorId) {
        return "camel-checkpoint-" + connectorId;
    }

    /** The newest stored position, or {@code null} when nothing is stored yet. */
    static SubscriptionPosition latest(EventStoreDBClient client, String connectorId) throws Exception {
        List<ResolvedEvent> events;
        try {
            events = client.readStream(
                            stream(connectorId),
                            ReadStreamOptions.get().backwards().fromEnd().maxCount(1))
                    .get(10, TimeUnit.SECONDS)
                    .getEvents();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return null;
            }
            throw e;
        }
        return events.isEmpty() ? null : position(events.get(0).getOriginalEvent());
    }

    /** Every checkpoint the connector wrote, oldest first. */
    static List<Stored> all(EventStoreDBClient client, String connectorId) throws Exception {
        List<Stored> stored = new ArrayList<>();
        for (ResolvedEvent e : client.readAll(
                        ReadAllOptions.get().forwards().fromStart().maxCount(Long.MAX_VALUE))
                .get(60, TimeUnit.SECONDS)
                .getEvents()) {
            RecordedEvent event = e.getOriginalEvent();
            if (event.getStreamId().equals(stream(connectorId))) {
                stored.add(new Stored(event.getCreated(), position(event)));
            }
        }
        return stored;
    }

    private static SubscriptionPosition position(RecordedEvent event) {
        return Checkpoint.fromJson(event.getEventData()).position(true);
    }
}
