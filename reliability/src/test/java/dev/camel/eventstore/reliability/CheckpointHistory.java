package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.Checkpoint;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.time.Instant;
import java.util.List;

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
        return StreamReads.newest(client, stream(connectorId))
                .map(CheckpointHistory::position)
                .orElse(null);
    }

    /**
     * Every position the connector stored, oldest first: its checkpoints, and the claims that restate one (a
     * connector claims its checkpoint stream each time it loads it).
     */
    static List<Stored> all(EventStoreDBClient client, String connectorId) throws Exception {
        // a claim made before any checkpoint holds no position: nothing was stored by it
        return StreamReads.all(client).stream()
                .filter(event -> event.getStreamId().equals(stream(connectorId)))
                .map(event -> new Stored(event.getCreated(), position(event)))
                .filter(stored -> stored.position() != null)
                .toList();
    }

    private static SubscriptionPosition position(RecordedEvent event) {
        return Checkpoint.fromJson(event.getEventData()).position(true);
    }
}
