package dev.camel.eventstore.resume;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.StreamNotFoundException;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.resume.Resumables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start of the log is never stored as a checkpoint. With several exchanges in flight, one completing before the
 * first leaves the processed position at the start and reports it; a write at that moment would store {@code
 * start}, which tells a restarted route nothing it does not do without a checkpoint, and which readers of an
 * {@code $all} checkpoint cannot take as a log position.
 */
class StartCheckpointTest {
    private EventStoreTestServer server;
    private EventStoreDBClient reader;
    private DefaultCamelContext context;
    private EventStoreResumeStrategy strategy;

    @BeforeEach
    void start() throws Exception {
        server = EventStoreTestServer.startDefault();
        reader = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        context = new DefaultCamelContext();
        context.start();
        strategy = new EventStoreResumeStrategy();
        strategy.setConnectionString(server.connectionString());
        // every update is due for a write, and no interval write comes in between
        strategy.setCheckpointRecordsThreshold(1);
        strategy.setCheckpointInterval(3_600_000);
        strategy.setCamelContext(context);
        strategy.start();
    }

    @AfterEach
    void stop() throws Exception {
        strategy.stop();
        context.stop();
        reader.shutdown();
        server.close();
    }

    @Test
    void theStartIsNotWrittenEvenWhenAWriteIsDue() throws Exception {
        strategy.updateLastOffset(Resumables.of("route", "start"));
        strategy.updateLastOffset(Resumables.of("route", "start"));
        strategy.flush();

        assertThat(strategy.storedPosition("route")).isNull();
        assertThat(storedPositions("camel-checkpoint-route")).isEmpty();
    }

    @Test
    void theFirstPositionAfterTheStartIsWrittenAndTheStartNeverMovesItBack() throws Exception {
        strategy.updateLastOffset(Resumables.of("route", "start"));
        strategy.updateLastOffset(Resumables.of("route", "4"));
        strategy.updateLastOffset(Resumables.of("route", "start"));
        strategy.flush();

        assertThat(strategy.storedPosition("route")).isEqualTo(SubscriptionPosition.ofRevision(4));
        assertThat(storedPositions("camel-checkpoint-route")).containsExactly("4");
    }

    /** The positions of the checkpoints in a stream, oldest first, read as any reader of the database would. */
    private List<String> storedPositions(String stream) throws Exception {
        try {
            return reader
                    .readStream(stream, ReadStreamOptions.get().forwards().fromStart())
                    .get(10, TimeUnit.SECONDS)
                    .getEvents()
                    .stream()
                    .map(e -> Checkpoint.fromJson(e.getOriginalEvent().getEventData()))
                    .map(Checkpoint::position)
                    .toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }
}
