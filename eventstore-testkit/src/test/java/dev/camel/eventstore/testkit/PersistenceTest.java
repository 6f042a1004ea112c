package dev.camel.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.DeleteStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamDeletedException;
import com.eventstore.dbclient.StreamMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server built on the data directory of an earlier one starts with everything the earlier one stored. */
class PersistenceTest {
    @TempDir
    Path dataDirectory;

    @Test
    void aServerOnTheSameDirectoryHasTheEarlierEventsStreamsAndMetadata() throws Exception {
        List<RecordedEvent> before;
        try (EventStoreTestServer server = persistentServer()) {
            EventStoreDBClient client = client(server);
            for (int i = 0; i < 5; i++) {
                append(client, "order-1", "OrderUpdated", "{\"n\":" + i + "}");
                append(client, "order-2", "OrderUpdated", "{\"n\":" + i + "}");
            }
            StreamMetadata metadata = new StreamMetadata();
            metadata.setMaxCount(2L);
            client.setStreamMetadata("order-2", metadata).get();
            append(client, "doomed", "Created", "{}");
            client.tombstoneStream("doomed", DeleteStreamOptions.get()).get();
            before = all(client);
            client.shutdown();
        }

        try (EventStoreTestServer server = persistentServer()) {
            EventStoreDBClient client = client(server);
            List<RecordedEvent> after = all(client);
            assertThat(after).hasSameSizeAs(before);
            for (int i = 0; i < before.size(); i++) {
                RecordedEvent expected = before.get(i);
                RecordedEvent actual = after.get(i);
                assertThat(actual.getEventId()).isEqualTo(expected.getEventId());
                assertThat(actual.getStreamId()).isEqualTo(expected.getStreamId());
                assertThat(actual.getRevision()).isEqualTo(expected.getRevision());
                assertThat(actual.getPosition()).isEqualTo(expected.getPosition());
                assertThat(actual.getCreated()).isEqualTo(expected.getCreated());
                assertThat(actual.getEventData()).isEqualTo(expected.getEventData());
            }
            // the metadata still applies, the tombstone still holds, revisions and positions go on
            assertThat(client.readStream("order-2", ReadStreamOptions.get())
                            .get()
                            .getEvents())
                    .extracting(e -> e.getOriginalEvent().getRevision())
                    .containsExactly(3L, 4L);
            assertThatThrownBy(() -> append(client, "doomed", "Again", "{}"))
                    .hasCauseInstanceOf(StreamDeletedException.class);
            long next = client.appendToStream(
                            "order-1",
                            AppendToStreamOptions.get().expectedRevision(ExpectedRevision.expectedRevision(4)),
                            EventDataBuilder.json("OrderUpdated", "{}".getBytes(StandardCharsets.UTF_8))
                                    .build())
                    .get()
                    .getNextExpectedRevision()
                    .toRawLong();
            assertThat(next).isEqualTo(5);
            List<RecordedEvent> grown = all(client);
            assertThat(grown.get(grown.size() - 1).getPosition().getCommitUnsigned())
                    .isGreaterThan(before.get(before.size() - 1).getPosition().getCommitUnsigned());
            client.shutdown();
        }
    }

    @Test
    void aRecordCutShortByACrashIsDroppedAndTheRestKept() throws Exception {
        try (EventStoreTestServer server = persistentServer()) {
            EventStoreDBClient client = client(server);
            append(client, "order-1", "OrderPlaced", "{}");
            client.shutdown();
        }
        // a length prefix promising more bytes than follow: what a kill in the middle of a write leaves
        Files.write(
                dataDirectory.resolve(EventJournal.FILE_NAME),
                new byte[] {0, 0, 1, 0, 42, 42},
                StandardOpenOption.APPEND);

        try (EventStoreTestServer server = persistentServer()) {
            EventStoreDBClient client = client(server);
            append(client, "order-1", "OrderShipped", "{}");
            assertThat(client.readStream("order-1", ReadStreamOptions.get())
                            .get()
                            .getEvents())
                    .extracting(e -> e.getOriginalEvent().getEventType())
                    .containsExactly("OrderPlaced", "OrderShipped");
            client.shutdown();
        }
        try (EventStoreTestServer server = persistentServer()) {
            EventStoreDBClient client = client(server);
            assertThat(client.readStream("order-1", ReadStreamOptions.get())
                            .get()
                            .getEvents())
                    .hasSize(2);
            client.shutdown();
        }
    }

    private EventStoreTestServer persistentServer() {
        return EventStoreTestServer.builder()
                .dataDirectory(dataDirectory)
                .build()
                .start();
    }

    private static EventStoreDBClient client(EventStoreTestServer server) {
        return EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    private static void append(EventStoreDBClient client, String stream, String type, String json)
            throws ExecutionException, InterruptedException {
        client.appendToStream(
                        stream,
                        EventDataBuilder.json(type, json.getBytes(StandardCharsets.UTF_8))
                                .build())
                .get();
    }

    private static List<RecordedEvent> all(EventStoreDBClient client) throws Exception {
        return client.readAll(ReadAllOptions.get().fromStart()).get().getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent)
                .toList();
    }
}
