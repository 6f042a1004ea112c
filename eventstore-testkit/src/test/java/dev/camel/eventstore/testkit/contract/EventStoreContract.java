package dev.camel.eventstore.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.DeleteResult;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamDeletedException;
import com.eventstore.dbclient.StreamMetadata;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionFilter;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.WrongExpectedVersionException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The behaviour the real {@code db-client-java} 5.4.5 sees from EventStoreDB, driven only through the client's public
 * API. A subclass supplies the server (its connection string); the same tests hold against a real EventStoreDB and
 * against the testkit server.
 *
 * <p>Rules that keep the suite valid on a real, shared server: every test writes to streams with a unique name, never
 * assumes that {@code $all} is empty or starts anywhere in particular (a real server has system events and the events
 * of other tests), and filters {@code $all} by its own stream names before asserting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class EventStoreContract {
    /** How long any single operation or expected callback may take. */
    protected static final Duration WAIT = Duration.ofSeconds(15);

    private static final Metadata.Key<String> EXCEPTION =
            Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> STREAM_NAME =
            Metadata.Key.of("stream-name", Metadata.ASCII_STRING_MARSHALLER);

    private EventStoreDBClient client;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** The connection string of the server under test; called once, before the first test. */
    protected abstract String connectionString();

    protected final synchronized EventStoreDBClient client() {
        if (client == null) {
            client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString()));
        }
        return client;
    }

    @AfterEach
    void stopSubscriptions() {
        subscriptions.forEach(Subscription::stop);
        subscriptions.clear();
    }

    @AfterAll
    void shutDownClient() throws Exception {
        if (client != null) {
            client.shutdown().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Appends
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void appendWithAnyCreatesTheStreamAndAppendsToIt() {
        String stream = newStream("any");

        WriteResult first = append(stream, ExpectedRevision.any(), json("A"), json("B"));
        WriteResult second = append(stream, ExpectedRevision.any(), json("C"));

        assertThat(first.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        assertThat(second.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));
        List<RecordedEvent> events = recorded(readStream(stream, ReadStreamOptions.get()));
        assertThat(events).extracting(RecordedEvent::getEventType).containsExactly("A", "B", "C");
        assertThat(events).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L, 2L);
    }

    @Test
    void appendResultCarriesTheLogPositionOfTheWrite() {
        String stream = newStream("position");

        WriteResult batch = append(stream, ExpectedRevision.noStream(), json("A"), json("B"), json("C"));
        WriteResult single = append(stream, ExpectedRevision.expectedRevision(2), json("D"));

        List<RecordedEvent> events = recorded(readStream(stream, ReadStreamOptions.get()));
        Position firstOfBatch = events.get(0).getPosition();
        Position lastOfBatch = events.get(2).getPosition();
        assertThat(batch.getLogPosition()).isNotNull();
        assertThat(batch.getLogPosition().getCommitUnsigned())
                .isBetween(firstOfBatch.getCommitUnsigned(), lastOfBatch.getCommitUnsigned());
        assertThat(Long.compareUnsigned(
                        batch.getLogPosition().getCommitUnsigned(),
                        batch.getLogPosition().getPrepareUnsigned()))
                .isGreaterThanOrEqualTo(0);
        // a single event's write is at exactly that event's position
        assertThat(single.getLogPosition()).isEqualTo(events.get(3).getPosition());
        assertThat(single.getLogPosition()).isGreaterThan(batch.getLogPosition());
    }

    @Test
    void appendWithNoStreamOnlyCreatesTheStream() {
        String stream = newStream("no-stream");

        WriteResult created = append(stream, ExpectedRevision.noStream(), json("A"));
        assertThat(created.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));

        Throwable failure = appendFailure(stream, ExpectedRevision.noStream(), json("B"));
        assertThat(failure).isInstanceOf(WrongExpectedVersionException.class);
        WrongExpectedVersionException wrong = (WrongExpectedVersionException) failure;
        assertThat(wrong.getStreamName()).isEqualTo(stream);
        assertThat(wrong.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(0));
        assertThat(recorded(readStream(stream, ReadStreamOptions.get())))
                .extracting(RecordedEvent::getEventType)
                .containsExactly("A");
    }

    @Test
    void appendWithStreamExistsNeedsAnExistingStream() {
        String stream = newStream("stream-exists");

        Throwable failure = appendFailure(stream, ExpectedRevision.streamExists(), json("A"));
        assertThat(failure).isInstanceOf(WrongExpectedVersionException.class);
        WrongExpectedVersionException wrong = (WrongExpectedVersionException) failure;
        assertThat(wrong.getStreamName()).isEqualTo(stream);
        assertThat(wrong.getNextExpectedRevision()).isEqualTo(ExpectedRevision.streamExists());
        assertThat(wrong.getActualVersion()).isEqualTo(ExpectedRevision.noStream());
        assertThat(readFailure(stream, ReadStreamOptions.get())).isInstanceOf(StreamNotFoundException.class);

        append(stream, ExpectedRevision.any(), json("A"));
        WriteResult appended = append(stream, ExpectedRevision.streamExists(), json("B"));
        assertThat(appended.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
    }

    @Test
    void appendWithAnExactRevisionMustMatchTheLastEvent() {
        String stream = newStream("exact");
        append(stream, ExpectedRevision.noStream(), json("A"), json("B"));

        WriteResult appended = append(stream, ExpectedRevision.expectedRevision(1), json("C"));
        assertThat(appended.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));

        Throwable failure = appendFailure(stream, ExpectedRevision.expectedRevision(5), json("D"));
        assertThat(failure)
                .isInstanceOf(WrongExpectedVersionException.class)
                .hasMessage("Expected 5 but got 2 instead");
        WrongExpectedVersionException wrong = (WrongExpectedVersionException) failure;
        assertThat(wrong.getStreamName()).isEqualTo(stream);
        assertThat(wrong.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(5));
        assertThat(wrong.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(2));
        assertThat(recorded(readStream(stream, ReadStreamOptions.get())))
                .extracting(RecordedEvent::getEventType)
                .containsExactly("A", "B", "C");

        String missing = newStream("exact-missing");
        Throwable onMissing = appendFailure(missing, ExpectedRevision.expectedRevision(0), json("A"));
        assertThat(onMissing).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(((WrongExpectedVersionException) onMissing).getNextExpectedRevision())
                .isEqualTo(ExpectedRevision.expectedRevision(0));
        assertThat(((WrongExpectedVersionException) onMissing).getActualVersion())
                .isEqualTo(ExpectedRevision.noStream());
    }

    @Test
    void appendRetriedWithTheSameEventIdsIsIdempotent() {
        String stream = newStream("idempotent");
        EventData a = json("A");
        EventData b = json("B");

        WriteResult written = append(stream, ExpectedRevision.noStream(), a, b);
        WriteResult retriedExact = append(stream, ExpectedRevision.noStream(), a, b);
        WriteResult retriedAny = append(stream, ExpectedRevision.any(), a, b);

        assertThat(written.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        assertThat(retriedExact.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        assertThat(retriedAny.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        List<RecordedEvent> events = recorded(readStream(stream, ReadStreamOptions.get()));
        assertThat(events).extracting(RecordedEvent::getEventId).containsExactly(a.getEventId(), b.getEventId());

        WriteResult next = append(stream, ExpectedRevision.expectedRevision(1), json("C"));
        assertThat(next.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reads of one stream
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void readStreamForwardsAndBackwardsFromStartEndAndRevisionWithMaxCount() {
        String stream = newStream("read");
        append(stream, ExpectedRevision.noStream(), numbered("e", 10));

        assertThat(revisions(readStream(
                        stream, ReadStreamOptions.get().forwards().fromStart().maxCount(3))))
                .containsExactly(0L, 1L, 2L);
        assertThat(revisions(readStream(
                        stream,
                        ReadStreamOptions.get().forwards().fromRevision(4).maxCount(3))))
                .containsExactly(4L, 5L, 6L);
        assertThat(revisions(
                        readStream(stream, ReadStreamOptions.get().forwards().fromRevision(8))))
                .containsExactly(8L, 9L);
        assertThat(revisions(
                        readStream(stream, ReadStreamOptions.get().forwards().fromRevision(10))))
                .isEmpty();
        assertThat(revisions(
                        readStream(stream, ReadStreamOptions.get().forwards().fromEnd())))
                .isEmpty();
        assertThat(revisions(readStream(
                        stream, ReadStreamOptions.get().backwards().fromEnd().maxCount(3))))
                .containsExactly(9L, 8L, 7L);
        assertThat(revisions(readStream(
                        stream,
                        ReadStreamOptions.get().backwards().fromRevision(5).maxCount(2))))
                .containsExactly(5L, 4L);
        assertThat(revisions(
                        readStream(stream, ReadStreamOptions.get().backwards().fromEnd())))
                .containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);

        ReadResult all = readStream(stream, ReadStreamOptions.get());
        assertThat(recorded(all))
                .extracting(RecordedEvent::getEventType)
                .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        assertThat(all.getLastStreamPosition()).isEqualTo(9L);
    }

    @Test
    void readStreamOfAMissingStreamIsNotFound() {
        String stream = newStream("missing");

        Throwable forwards = readFailure(stream, ReadStreamOptions.get().forwards());
        Throwable backwards =
                readFailure(stream, ReadStreamOptions.get().backwards().fromEnd());

        assertThat(forwards).isInstanceOf(StreamNotFoundException.class);
        assertThat(((StreamNotFoundException) forwards).getStreamName()).isEqualTo(stream);
        assertThat(backwards).isInstanceOf(StreamNotFoundException.class);
        assertThat(((StreamNotFoundException) backwards).getStreamName()).isEqualTo(stream);
    }

    @Test
    void readStreamEventsCarryEverythingThatWasAppended() {
        String stream = newStream("fields");
        UUID jsonId = UUID.randomUUID();
        UUID binaryId = UUID.randomUUID();
        byte[] jsonData = "{\"amount\":42}".getBytes(StandardCharsets.UTF_8);
        // not JSON: the client adds its tracing ids ($traceId, $spanId) to JSON metadata, and to no metadata
        byte[] userMetadata = "correlation=c-1".getBytes(StandardCharsets.UTF_8);
        byte[] binaryData = new byte[] {0, 1, 2, (byte) 0xff, 127};

        Instant before = Instant.now();
        append(
                stream,
                ExpectedRevision.noStream(),
                EventDataBuilder.json(jsonId, "OrderPlaced", jsonData)
                        .metadataAsBytes(userMetadata)
                        .build(),
                EventDataBuilder.binary(binaryId, "Blob", binaryData).build());
        Instant after = Instant.now();

        List<RecordedEvent> events = recorded(readStream(stream, ReadStreamOptions.get()));
        assertThat(events).hasSize(2);
        RecordedEvent json = events.get(0);
        assertThat(json.getStreamId()).isEqualTo(stream);
        assertThat(json.getRevision()).isZero();
        assertThat(json.getEventId()).isEqualTo(jsonId);
        assertThat(json.getEventType()).isEqualTo("OrderPlaced");
        assertThat(json.getContentType()).isEqualTo("application/json");
        assertThat(json.getEventData()).isEqualTo(jsonData);
        assertThat(json.getUserMetadata()).isEqualTo(userMetadata);
        // the server's clock stamps the event; allow for a container's clock and a slow machine
        assertThat(json.getCreated()).isBetween(before.minus(Duration.ofSeconds(5)), after.plus(Duration.ofSeconds(5)));

        RecordedEvent binary = events.get(1);
        assertThat(binary.getRevision()).isEqualTo(1L);
        assertThat(binary.getEventId()).isEqualTo(binaryId);
        assertThat(binary.getEventType()).isEqualTo("Blob");
        assertThat(binary.getContentType()).isEqualTo("application/octet-stream");
        assertThat(binary.getEventData()).isEqualTo(binaryData);
        assertThat(new String(binary.getUserMetadata(), StandardCharsets.UTF_8)).contains("\"$traceId\"");
        assertThat(binary.getCreated()).isAfterOrEqualTo(json.getCreated());

        for (RecordedEvent event : events) {
            assertThat(Long.compareUnsigned(
                            event.getPosition().getCommitUnsigned(),
                            event.getPosition().getPrepareUnsigned()))
                    .isGreaterThanOrEqualTo(0);
        }
        assertThat(binary.getPosition()).isGreaterThan(json.getPosition());

        // the same events read through $all: same ids, same positions
        List<ResolvedEvent> fromAll = readAll(ReadAllOptions.get()
                        .forwards()
                        .fromPosition(json.getPosition())
                        .maxCount(2))
                .getEvents();
        assertThat(fromAll).extracting(e -> e.getEvent().getEventId()).containsExactly(jsonId, binaryId);
        assertThat(fromAll)
                .extracting(e -> e.getEvent().getPosition())
                .containsExactly(json.getPosition(), binary.getPosition());
        assertThat(fromAll.get(0).getPosition())
                .contains(new Position(
                        json.getPosition().getCommitUnsigned(),
                        json.getPosition().getCommitUnsigned()));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reads of $all
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void readAllForwardsFromAPositionIncludesTheEventAtThatPosition() {
        String stream = newStream("all-forwards");
        // one write: its events are contiguous in $all whatever else the server writes
        append(stream, ExpectedRevision.noStream(), numbered("e", 5));
        List<Position> positions = positions(stream);

        List<ResolvedEvent> read = readAll(ReadAllOptions.get()
                        .forwards()
                        .fromPosition(positions.get(1))
                        .maxCount(3))
                .getEvents();

        assertThat(read).extracting(e -> e.getEvent().getStreamId()).containsOnly(stream);
        assertThat(read).extracting(e -> e.getEvent().getEventType()).containsExactly("e1", "e2", "e3");
        assertThat(read)
                .extracting(e -> e.getEvent().getPosition())
                .containsExactly(positions.get(1), positions.get(2), positions.get(3));
    }

    @Test
    void readAllBackwardsFromAPositionStartsBeforeTheEventAtThatPosition() {
        String stream = newStream("all-backwards");
        append(stream, ExpectedRevision.noStream(), numbered("e", 5));
        List<Position> positions = positions(stream);

        List<ResolvedEvent> read = readAll(ReadAllOptions.get()
                        .backwards()
                        .fromPosition(positions.get(3))
                        .maxCount(2))
                .getEvents();

        assertThat(read).extracting(e -> e.getEvent().getEventType()).containsExactly("e2", "e1");
    }

    @Test
    void readAllForwardsFromStartSeesEveryEventInStrictlyIncreasingPositions() {
        String stream = newStream("all-start");
        append(stream, ExpectedRevision.noStream(), numbered("e", 3));
        append(stream, ExpectedRevision.expectedRevision(2), json("e3"));

        List<ResolvedEvent> all =
                readAll(ReadAllOptions.get().forwards().fromStart()).getEvents();

        assertThat(only(all, stream)).extracting(RecordedEvent::getEventType).containsExactly("e0", "e1", "e2", "e3");
        assertPositionsStrictlyIncrease(all);
    }

    @Test
    void readAllBackwardsFromEndSeesTheNewestEventsFirst() {
        String stream = newStream("all-end");
        append(stream, ExpectedRevision.noStream(), numbered("e", 3));

        List<ResolvedEvent> all =
                readAll(ReadAllOptions.get().backwards().fromEnd()).getEvents();

        assertThat(only(all, stream)).extracting(RecordedEvent::getEventType).containsExactly("e2", "e1", "e0");
        List<ResolvedEvent> ascending = new ArrayList<>(all);
        java.util.Collections.reverse(ascending);
        assertPositionsStrictlyIncrease(ascending);

        assertThat(readAll(ReadAllOptions.get().forwards().fromEnd().maxCount(10))
                        .getEvents())
                .isEmpty();
    }

    @Test
    void readAllBackwardsFromStartSeesNothing() {
        append(newStream("all-backwards-start"), ExpectedRevision.noStream(), json("e"));

        assertThat(readAll(ReadAllOptions.get().backwards().fromStart().maxCount(10))
                        .getEvents())
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------
    // System events and stream metadata
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void metadataIsASystemEventInTheMetastreamAndVisibleInAll() {
        String stream = newStream("meta");
        append(stream, ExpectedRevision.noStream(), json("A"));

        StreamMetadata metadata = new StreamMetadata();
        metadata.setMaxCount(5L);
        WriteResult written = result(client().setStreamMetadata(stream, metadata));

        assertThat(written.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
        List<ResolvedEvent> atWrite = readAll(ReadAllOptions.get()
                        .forwards()
                        .fromPosition(written.getLogPosition())
                        .maxCount(1))
                .getEvents();
        assertThat(atWrite).hasSize(1);
        RecordedEvent event = atWrite.get(0).getEvent();
        assertThat(event.getStreamId()).isEqualTo("$$" + stream);
        assertThat(event.getEventType()).isEqualTo("$metadata");
        assertThat(event.getContentType()).isEqualTo("application/json");
        assertThat(new String(event.getEventData(), StandardCharsets.UTF_8)).contains("\"$maxCount\":5");
        assertThat(result(client().getStreamMetadata(stream)).getMaxCount()).isEqualTo(5L);
    }

    @Test
    void metadataNewestWinsAndTheMetastreamKeepsOnlyIt() {
        String stream = newStream("meta-update");
        append(stream, ExpectedRevision.noStream(), json("A"));
        StreamMetadata first = new StreamMetadata();
        first.setMaxCount(5L);
        StreamMetadata second = new StreamMetadata();
        second.setMaxCount(7L);
        second.setMaxAge(3600L);

        result(client().setStreamMetadata(stream, first));
        WriteResult updated = result(client().setStreamMetadata(stream, second));

        assertThat(updated.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        StreamMetadata read = result(client().getStreamMetadata(stream));
        assertThat(read.getMaxCount()).isEqualTo(7L);
        assertThat(read.getMaxAge()).isEqualTo(3600L);
        // a metastream is itself limited to its last event ($maxCount 1)
        assertThat(revisions(readStream("$$" + stream, ReadStreamOptions.get())))
                .containsExactly(1L);
    }

    @Test
    void metadataOfAStreamWithoutAnyIsEmpty() {
        StreamMetadata none = result(client().getStreamMetadata(newStream("no-meta")));

        assertThat(none.getMaxCount()).isNull();
        assertThat(none.getMaxAge()).isNull();
        assertThat(none.getTruncateBefore()).isNull();
    }

    @Test
    void metadataMaxCountLimitsWhatReadsReturn() {
        String stream = newStream("max-count");
        append(stream, ExpectedRevision.noStream(), numbered("e", 5));
        StreamMetadata metadata = new StreamMetadata();
        metadata.setMaxCount(2L);
        result(client().setStreamMetadata(stream, metadata));

        assertThat(revisions(readStream(stream, ReadStreamOptions.get().forwards())))
                .containsExactly(3L, 4L);
        assertThat(revisions(
                        readStream(stream, ReadStreamOptions.get().backwards().fromEnd())))
                .containsExactly(4L, 3L);
        assertThat(revisions(readStream(
                        stream,
                        ReadStreamOptions.get().forwards().fromRevision(1).maxCount(1))))
                .containsExactly(3L);

        append(stream, ExpectedRevision.expectedRevision(4), json("e5"));
        assertThat(revisions(readStream(stream, ReadStreamOptions.get().forwards())))
                .containsExactly(4L, 5L);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Deletes
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void softDeletedStreamReadsAsMissingAndContinuesItsRevisionsWhenWrittenAgain() {
        String stream = newStream("soft");
        append(stream, ExpectedRevision.noStream(), numbered("old", 3));

        DeleteResult deleted = result(client().deleteStream(stream));

        assertThat(deleted.getPosition()).isNotNull();
        assertThat(readFailure(stream, ReadStreamOptions.get())).isInstanceOf(StreamNotFoundException.class);
        assertThat(readFailure(stream, ReadStreamOptions.get().backwards().fromEnd()))
                .isInstanceOf(StreamNotFoundException.class);
        // a soft delete is metadata: truncate before "the end of time"
        assertThat(result(client().getStreamMetadata(stream)).getTruncateBefore())
                .isEqualTo(Long.MAX_VALUE);

        WriteResult again = append(stream, ExpectedRevision.any(), json("new"));

        assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(3));
        List<RecordedEvent> visible = recorded(readStream(stream, ReadStreamOptions.get()));
        assertThat(visible).extracting(RecordedEvent::getRevision).containsExactly(3L);
        assertThat(visible).extracting(RecordedEvent::getEventType).containsExactly("new");
        assertThat(revisions(
                        readStream(stream, ReadStreamOptions.get().backwards().fromEnd())))
                .containsExactly(3L);
        // writing again truncates before the first new event
        assertThat(result(client().getStreamMetadata(stream)).getTruncateBefore())
                .isEqualTo(3L);
    }

    @Test
    void softDeletedStreamAcceptsNoStreamButNotStreamExists() {
        String stream = newStream("soft-expected");
        append(stream, ExpectedRevision.noStream(), numbered("old", 3));
        result(client().deleteStream(stream));

        Throwable failure = appendFailure(stream, ExpectedRevision.streamExists(), json("x"));
        assertThat(failure).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(((WrongExpectedVersionException) failure).getActualVersion())
                .isEqualTo(ExpectedRevision.expectedRevision(2));

        WriteResult recreated = append(stream, ExpectedRevision.noStream(), json("new"));
        assertThat(recreated.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(3));
    }

    @Test
    void softDeleteOfAStreamThatNeverExistedIsAWrongExpectedVersion() {
        String stream = newStream("soft-missing");

        Throwable failure = failure(client().deleteStream(stream));

        assertThat(failure).isInstanceOf(WrongExpectedVersionException.class);
        WrongExpectedVersionException wrong = (WrongExpectedVersionException) failure;
        assertThat(wrong.getStreamName()).isEqualTo(stream);
        assertThat(wrong.getNextExpectedRevision()).isEqualTo(ExpectedRevision.any());
        assertThat(wrong.getActualVersion()).isEqualTo(ExpectedRevision.noStream());
    }

    @Test
    void tombstonedStreamIsGoneForGood() {
        String stream = newStream("tombstone");
        append(stream, ExpectedRevision.noStream(), numbered("e", 2));

        DeleteResult tombstoned = result(client().tombstoneStream(stream));
        assertThat(tombstoned.getPosition()).isNotNull();

        // reads end with the server's stream-deleted status (the 5.4.5 client converts it only for appends)
        assertStreamDeletedStatus(readFailure(stream, ReadStreamOptions.get()), stream);
        assertStreamDeletedStatus(
                readFailure(stream, ReadStreamOptions.get().backwards().fromEnd()), stream);

        Throwable append = appendFailure(stream, ExpectedRevision.any(), json("again"));
        assertThat(append).isInstanceOf(StreamDeletedException.class);
        assertThat(((StreamDeletedException) append).getStreamName()).isEqualTo(stream);
        assertThat(failure(client().deleteStream(stream))).isInstanceOf(StreamDeletedException.class);
        assertThat(failure(client().tombstoneStream(stream))).isInstanceOf(StreamDeletedException.class);
    }

    @Test
    void tombstonedStreamCannotBeSubscribedTo() {
        String stream = newStream("tombstone-subscribe");
        append(stream, ExpectedRevision.noStream(), json("e"));
        result(client().tombstoneStream(stream));

        Recorder recorder = new Recorder();
        CompletableFuture<Subscription> subscribing =
                client().subscribeToStream(stream, recorder, SubscribeToStreamOptions.get());

        // the server may refuse before or after confirming: either the future or onCancelled gets the error
        eventually().until(() -> subscribing.isCompletedExceptionally() || recorder.isCancelled());
        Throwable error = subscribing.isCompletedExceptionally() ? failure(subscribing) : recorder.cancellation();
        assertStreamDeletedStatus(error, stream);
        assertThat(recorder.events()).isEmpty();
    }

    @Test
    void tombstoneEndsALiveStreamSubscription() {
        String stream = newStream("tombstone-live");
        append(stream, ExpectedRevision.noStream(), json("e"));
        Recorder recorder = new Recorder();
        subscribe(stream, recorder, SubscribeToStreamOptions.get());
        eventually().until(recorder::isCaughtUp);

        result(client().tombstoneStream(stream));

        eventually().until(recorder::isCancelled);
        assertStreamDeletedStatus(recorder.cancellation(), stream);
        assertThat(recorder.kinds()).last().isEqualTo("Cancelled");
        // a live subscriber may get the tombstone record itself before the error (the real server sends it)
        assertThat(recorder.eventTypes()).isIn(List.of("e"), List.of("e", "$streamDeleted"));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Subscriptions
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void streamSubscriptionConfirmsCatchesUpThenDeliversLiveEvents() {
        String stream = newStream("sub");
        append(stream, ExpectedRevision.noStream(), numbered("e", 3));
        Recorder recorder = new Recorder();

        subscribe(stream, recorder, SubscribeToStreamOptions.get().fromStart());

        // the future completes on the server's confirmation, which comes before anything else
        assertThat(recorder.timeline()).first().isInstanceOf(Recorder.Confirmed.class);
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 3);
        append(stream, ExpectedRevision.expectedRevision(2), numbered("live", 2));
        eventually().until(() -> recorder.events().size() == 5);

        assertThat(recorder.kinds())
                .containsExactly("Confirmed", "Event", "Event", "Event", "CaughtUp", "Event", "Event");
        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getRevision())
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(recorder.eventTypes()).containsExactly("e0", "e1", "e2", "live0", "live1");
        assertThat(recorder.isCancelled()).isFalse();
    }

    @Test
    void streamSubscriptionStartsAfterTheGivenRevision() {
        String stream = newStream("sub-revision");
        append(stream, ExpectedRevision.noStream(), numbered("e", 4));
        Recorder recorder = new Recorder();

        subscribe(stream, recorder, SubscribeToStreamOptions.get().fromRevision(1));
        eventually().until(recorder::isCaughtUp);
        append(stream, ExpectedRevision.expectedRevision(3), json("e4"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getRevision())
                .containsExactly(2L, 3L, 4L);
        assertThat(recorder.kinds()).containsExactly("Confirmed", "Event", "Event", "CaughtUp", "Event");
    }

    @Test
    void streamSubscriptionFromEndSeesOnlyNewEvents() {
        String stream = newStream("sub-end");
        append(stream, ExpectedRevision.noStream(), numbered("e", 3));
        Recorder recorder = new Recorder();

        subscribe(stream, recorder, SubscribeToStreamOptions.get().fromEnd());
        eventually().until(recorder::isCaughtUp);
        append(stream, ExpectedRevision.expectedRevision(2), json("new"));
        eventually().until(() -> recorder.events().size() == 1);

        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getRevision())
                .containsExactly(3L);
        assertThat(recorder.kinds()).containsExactly("Confirmed", "CaughtUp", "Event");
    }

    @Test
    void streamSubscriptionToAMissingStreamWaitsForIt() {
        String stream = newStream("sub-missing");
        Recorder recorder = new Recorder();

        subscribe(stream, recorder, SubscribeToStreamOptions.get().fromStart());
        eventually().until(recorder::isCaughtUp);
        assertThat(recorder.events()).isEmpty();

        append(stream, ExpectedRevision.noStream(), numbered("e", 2));
        eventually().until(() -> recorder.events().size() == 2);

        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getRevision())
                .containsExactly(0L, 1L);
        assertThat(recorder.isCancelled()).isFalse();
    }

    @Test
    void allSubscriptionFromAPositionDeliversWhatFollowsItThenGoesLive() {
        String stream = newStream("suball");
        WriteResult start = append(stream, ExpectedRevision.noStream(), json("before"));
        append(stream, ExpectedRevision.expectedRevision(0), json("e1"));
        append(stream, ExpectedRevision.expectedRevision(1), json("e2"));
        Recorder recorder = new Recorder(in(stream));

        subscribeToAll(recorder, SubscribeToAllOptions.get().fromPosition(start.getLogPosition()));
        assertThat(recorder.timeline()).first().isInstanceOf(Recorder.Confirmed.class);
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(stream, ExpectedRevision.expectedRevision(2), json("e3"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.eventTypes()).containsExactly("e1", "e2", "e3");
        assertThat(recorder.kinds()).containsExactly("Confirmed", "Event", "Event", "CaughtUp", "Event");
        assertPositionsStrictlyIncrease(recorder.events());
    }

    @Test
    void allSubscriptionFromStartIncludesEarlierEvents() {
        String stream = newStream("suball-start");
        append(stream, ExpectedRevision.noStream(), numbered("e", 2));
        Recorder recorder = new Recorder(in(stream));

        subscribeToAll(recorder, SubscribeToAllOptions.get().fromStart());
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(stream, ExpectedRevision.expectedRevision(1), json("e2"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.eventTypes()).containsExactly("e0", "e1", "e2");
        assertThat(recorder.kinds()).containsExactly("Confirmed", "Event", "Event", "CaughtUp", "Event");
    }

    @Test
    void allSubscriptionFromEndSeesOnlyNewEvents() {
        String stream = newStream("suball-end");
        append(stream, ExpectedRevision.noStream(), numbered("e", 2));
        Recorder recorder = new Recorder(in(stream));

        subscribeToAll(recorder, SubscribeToAllOptions.get().fromEnd());
        eventually().until(recorder::isCaughtUp);
        append(stream, ExpectedRevision.expectedRevision(1), json("new"));
        eventually().until(() -> recorder.events().size() == 1);

        assertThat(recorder.eventTypes()).containsExactly("new");
        assertThat(recorder.kinds()).containsExactly("Confirmed", "CaughtUp", "Event");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Server-side filters on $all
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void filterOnStreamNamePrefix() {
        String prefix = "prefix" + unique();
        String other = "other" + unique();
        Position start = startMarker();
        append(prefix + "-a", ExpectedRevision.any(), json("a1"));
        append(other, ExpectedRevision.any(), json("o1"));
        append(prefix + "-b", ExpectedRevision.any(), json("b1"));
        Recorder recorder = new Recorder();

        // the 5.4.5 client sends a prefix as an (unanchored) regex
        subscribeToAll(
                recorder,
                SubscribeToAllOptions.get()
                        .fromPosition(start)
                        .filter(SubscriptionFilter.newBuilder()
                                .addStreamNamePrefix(prefix)
                                .build()));
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(other, ExpectedRevision.any(), json("o2"));
        append(prefix + "-a", ExpectedRevision.any(), json("a2"));
        eventually().until(() -> recorder.events().size() == 3);

        // o2 was written before a2: had it matched, it would have arrived first
        assertThat(recorder.eventTypes()).containsExactly("a1", "b1", "a2");
    }

    @Test
    void filterOnStreamNameRegexForSeveralPrefixes() {
        String a = "ra" + unique();
        String b = "rb" + unique();
        String c = "rc" + unique();
        Position start = startMarker();
        append(a + "-1", ExpectedRevision.any(), json("a"));
        append(c + "-1", ExpectedRevision.any(), json("c"));
        append(b + "-1", ExpectedRevision.any(), json("b"));
        append("x-" + a, ExpectedRevision.any(), json("anchored-away"));
        Recorder recorder = new Recorder();

        subscribeToAll(
                recorder,
                SubscribeToAllOptions.get()
                        .fromPosition(start)
                        .filter(SubscriptionFilter.newBuilder()
                                .withStreamNameRegularExpression("^(?:" + a + "|" + b + ")")
                                .build()));
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(c + "-2", ExpectedRevision.any(), json("c2"));
        append(b + "-2", ExpectedRevision.any(), json("b2"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.eventTypes()).containsExactly("a", "b", "b2");
    }

    @Test
    void filterOnEventTypePrefix() {
        String type = "Type" + unique();
        String stream = newStream("type-prefix");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), json(type + "-x"), json("Other" + unique()), json(type + "-y"));
        Recorder recorder = new Recorder();

        subscribeToAll(
                recorder,
                SubscribeToAllOptions.get()
                        .fromPosition(start)
                        .filter(SubscriptionFilter.newBuilder()
                                .addEventTypePrefix(type)
                                .build()));
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(stream, ExpectedRevision.expectedRevision(2), json("Other" + unique()), json(type + "-z"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.eventTypes()).containsExactly(type + "-x", type + "-y", type + "-z");
        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getStreamId())
                .containsOnly(stream);
    }

    @Test
    void filterOnEventTypeRegex() {
        String a = "TA" + unique();
        String b = "TB" + unique();
        String stream = newStream("type-regex");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), json(a), json("TC" + unique()), json(b), json("x" + a));
        Recorder recorder = new Recorder();

        subscribeToAll(
                recorder,
                SubscribeToAllOptions.get()
                        .fromPosition(start)
                        .filter(SubscriptionFilter.newBuilder()
                                .withEventTypeRegularExpression("^(?:" + a + "|" + b + ")")
                                .build()));
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(stream, ExpectedRevision.expectedRevision(3), json("TC" + unique()), json(a));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.eventTypes()).containsExactly(a, b, a);
        assertThat(recorder.events())
                .extracting(e -> e.getEvent().getRevision())
                .containsExactly(0L, 2L, 5L);
    }

    @Test
    void filterExcludingSystemEvents() {
        String stream = newStream("no-system");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), json("U1"));
        StreamMetadata metadata = new StreamMetadata();
        metadata.setMaxCount(10L);
        result(client().setStreamMetadata(stream, metadata));
        append(stream, ExpectedRevision.expectedRevision(0), json("U2"));
        Recorder recorder = new Recorder();

        // what "exclude system events" is: a filter on event types that do not start with "$"
        subscribeToAll(
                recorder,
                SubscribeToAllOptions.get()
                        .fromPosition(start)
                        .filter(SubscriptionFilter.newBuilder()
                                .withEventTypeRegularExpression("^[^$]")
                                .build()));
        eventually()
                .until(() ->
                        recorder.isCaughtUp() && only(recorder.events(), stream).size() == 2);

        assertThat(only(recorder.events(), stream))
                .extracting(RecordedEvent::getEventType)
                .containsExactly("U1", "U2");
        assertThat(recorder.eventTypes()).noneMatch(type -> type.startsWith("$"));
        // while $all does hold the metadata event written in between
        List<ResolvedEvent> unfiltered =
                readAll(ReadAllOptions.get().forwards().fromPosition(start)).getEvents();
        assertThat(unfiltered)
                .extracting(e -> e.getEvent().getStreamId() + "/" + e.getEvent().getEventType())
                .contains("$$" + stream + "/$metadata");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Checkpoints of filtered $all subscriptions
    // ------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "window {0} x multiplier {1}, {2} events")
    @CsvSource({"2, 1, 20", "3, 2, 30"})
    void checkpointsArriveEveryWindowTimesMultiplierEventsReadEvenWhenNothingMatches(
            int window, int multiplier, int eventCount) {
        int interval = window * multiplier;
        String stream = newStream("checkpoints");
        Position start = startMarker();
        append(stream, ExpectedRevision.noStream(), numbered("e", eventCount));
        Recorder recorder = new Recorder();

        subscribeToAll(
                recorder,
                SubscribeToAllOptions.get()
                        .fromPosition(start)
                        .filter(SubscriptionFilter.newBuilder()
                                .withStreamNameRegularExpression("^matches-nothing-" + unique())
                                .withMaxWindow(window)
                                .withCheckpointer(recorder, multiplier)
                                .build()));
        eventually().until(recorder::isCaughtUp);
        List<Recorder.Signal> catchUp = recorder.timeline();
        List<Position> checkpoints = recorder.checkpoints();
        Position sentinel = append(newStream("sentinel"), ExpectedRevision.noStream(), json("sentinel"))
                .getLogPosition();
        long read = readAll(ReadAllOptions.get().forwards().fromPosition(start)).getEvents().stream()
                .filter(e -> e.getEvent().getPosition().compareTo(start) > 0)
                .filter(e -> e.getEvent().getPosition().compareTo(sentinel) < 0)
                .count();

        assertThat(recorder.events()).isEmpty();
        assertThat(read).isGreaterThanOrEqualTo(eventCount);
        assertThat(checkpoints).hasSizeBetween(eventCount / interval, (int) (read / interval) + 2);
        assertThat(checkpoints).isSorted().doesNotHaveDuplicates();
        assertThat(checkpoints).allSatisfy(checkpoint -> {
            assertThat(checkpoint).isGreaterThanOrEqualTo(start);
            assertThat(checkpoint).isLessThan(sentinel);
        });
        // one more when going live, just before caught-up
        assertThat(catchUp.get(catchUp.size() - 1)).isInstanceOf(Recorder.CaughtUp.class);
        assertThat(catchUp.get(catchUp.size() - 2)).isInstanceOf(Recorder.Checkpoint.class);

        // and live: events keep being counted, matched or not
        append(stream, ExpectedRevision.expectedRevision(eventCount - 1), numbered("live", 2 * interval));
        Position lastLive = positions(stream).get(eventCount + 2 * interval - 1);
        eventually().until(() -> recorder.checkpoints().size() > checkpoints.size());
        List<Position> liveCheckpoints = recorder.checkpoints()
                .subList(checkpoints.size(), recorder.checkpoints().size());
        assertThat(liveCheckpoints).allSatisfy(checkpoint -> {
            assertThat(checkpoint).isGreaterThan(checkpoints.get(checkpoints.size() - 1));
            assertThat(checkpoint).isLessThanOrEqualTo(lastLive);
        });
        assertThat(recorder.events()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Links
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void linksAreResolvedOnlyWhenAsked() {
        String target = newStream("target");
        String links = newStream("links");
        append(target, ExpectedRevision.noStream(), json("T0"), json("T1"));
        append(links, ExpectedRevision.noStream(), link(1, target));
        RecordedEvent targetEvent =
                recorded(readStream(target, ReadStreamOptions.get())).get(1);

        ResolvedEvent resolved = readStream(links, ReadStreamOptions.get().resolveLinkTos())
                .getEvents()
                .get(0);
        assertThat(resolved.getEvent().getStreamId()).isEqualTo(target);
        assertThat(resolved.getEvent().getRevision()).isEqualTo(1L);
        assertThat(resolved.getEvent().getEventType()).isEqualTo("T1");
        assertThat(resolved.getEvent().getEventId()).isEqualTo(targetEvent.getEventId());
        assertThat(resolved.getEvent().getPosition()).isEqualTo(targetEvent.getPosition());
        assertThat(resolved.getLink()).isNotNull();
        assertThat(resolved.getLink().getStreamId()).isEqualTo(links);
        assertThat(resolved.getLink().getRevision()).isZero();
        assertThat(resolved.getLink().getEventType()).isEqualTo("$>");
        assertThat(new String(resolved.getLink().getEventData(), StandardCharsets.UTF_8))
                .isEqualTo("1@" + target);
        assertThat(resolved.getOriginalEvent()).isSameAs(resolved.getLink());
        // the position is the link's, where it sits in $all
        assertThat(resolved.getPosition().map(Position::getCommitUnsigned))
                .contains(resolved.getLink().getPosition().getCommitUnsigned());

        ResolvedEvent unresolved = readStream(links, ReadStreamOptions.get().notResolveLinkTos())
                .getEvents()
                .get(0);
        assertThat(unresolved.getLink()).isNull();
        assertThat(unresolved.getEvent().getStreamId()).isEqualTo(links);
        assertThat(unresolved.getEvent().getEventType()).isEqualTo("$>");
        assertThat(new String(unresolved.getEvent().getEventData(), StandardCharsets.UTF_8))
                .isEqualTo("1@" + target);
    }

    @Test
    void linkToAMissingEventResolvesToTheLinkAlone() {
        String target = newStream("gone");
        String links = newStream("dangling");
        append(links, ExpectedRevision.noStream(), link(5, target));

        ResolvedEvent dangling = readStream(links, ReadStreamOptions.get().resolveLinkTos())
                .getEvents()
                .get(0);

        assertThat(dangling.getEvent()).isNull();
        assertThat(dangling.getLink().getEventType()).isEqualTo("$>");
        assertThat(dangling.getOriginalEvent().getStreamId()).isEqualTo(links);
    }

    @Test
    void linksAreResolvedBySubscriptionsWhenAsked() {
        String target = newStream("sub-target");
        String links = newStream("sub-links");
        append(target, ExpectedRevision.noStream(), json("T0"), json("T1"));
        append(links, ExpectedRevision.noStream(), link(0, target));
        Recorder resolving = new Recorder();
        Recorder raw = new Recorder();

        subscribe(links, resolving, SubscribeToStreamOptions.get().resolveLinkTos());
        subscribe(links, raw, SubscribeToStreamOptions.get().notResolveLinkTos());
        append(links, ExpectedRevision.expectedRevision(0), link(1, target));
        eventually().until(() -> resolving.events().size() == 2 && raw.events().size() == 2);

        assertThat(resolving.events())
                .extracting(e -> e.getEvent().getEventType())
                .containsExactly("T0", "T1");
        assertThat(resolving.events())
                .extracting(e -> e.getLink().getStreamId())
                .containsOnly(links);
        assertThat(raw.events()).extracting(e -> e.getEvent().getEventType()).containsExactly("$>", "$>");
        assertThat(raw.events()).extracting(ResolvedEvent::getLink).containsOnlyNulls();
    }

    @Test
    void linksInAllAreResolvedByReadsAndSubscriptionsWhenAsked() {
        String target = newStream("all-target");
        String links = newStream("all-links");
        Position from = startMarker();
        append(target, ExpectedRevision.noStream(), json("T0"), json("T1"));
        append(links, ExpectedRevision.noStream(), link(1, target));
        RecordedEvent targetEvent =
                recorded(readStream(target, ReadStreamOptions.get())).get(1);
        RecordedEvent linkEvent =
                recorded(readStream(links, ReadStreamOptions.get())).get(0);

        List<ResolvedEvent> resolvedRead =
                readAll(ReadAllOptions.get().forwards().fromPosition(from).resolveLinkTos()).getEvents().stream()
                        .filter(in(links))
                        .toList();
        List<ResolvedEvent> rawRead =
                readAll(ReadAllOptions.get().forwards().fromPosition(from).notResolveLinkTos()).getEvents().stream()
                        .filter(in(links))
                        .toList();
        Recorder resolving = new Recorder(in(links));
        subscribeToAll(resolving, SubscribeToAllOptions.get().fromPosition(from).resolveLinkTos());
        eventually().until(() -> resolving.events().size() == 1);

        for (ResolvedEvent resolved :
                List.of(resolvedRead.get(0), resolving.events().get(0))) {
            assertThat(resolved.getEvent().getStreamId()).isEqualTo(target);
            assertThat(resolved.getEvent().getEventType()).isEqualTo("T1");
            assertThat(resolved.getEvent().getEventId()).isEqualTo(targetEvent.getEventId());
            assertThat(resolved.getLink().getStreamId()).isEqualTo(links);
            assertThat(resolved.getLink().getEventId()).isEqualTo(linkEvent.getEventId());
            // $all is ordered by the link's position, not the target's
            assertThat(resolved.getPosition().map(Position::getCommitUnsigned))
                    .contains(linkEvent.getPosition().getCommitUnsigned());
        }
        assertThat(resolvedRead).hasSize(1);
        assertThat(rawRead).hasSize(1);
        assertThat(rawRead.get(0).getLink()).isNull();
        assertThat(rawRead.get(0).getEvent().getEventType()).isEqualTo("$>");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------------

    /** Waits for a condition, polling often: most conditions here hold within milliseconds. */
    protected static ConditionFactory eventually() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    protected static String unique() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A stream name no other test (or earlier run against the same server) uses. */
    protected static String newStream(String label) {
        return "contract-" + label + "-" + unique();
    }

    protected static EventData json(String type) {
        return EventDataBuilder.json(type, ("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    protected static EventData[] numbered(String typePrefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> json(typePrefix + i)).toArray(EventData[]::new);
    }

    protected static EventData link(long revision, String stream) {
        return EventDataBuilder.binary("$>", (revision + "@" + stream).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    protected static <T> T result(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("Operation failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("No answer within " + WAIT, e);
        }
    }

    /** The error a future fails with (unwrapped from the client's CompletionException wrapping). */
    protected static Throwable failure(CompletableFuture<?> future) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> caught[0] = e.getCause());
        Throwable cause = caught[0];
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    protected WriteResult append(String stream, ExpectedRevision expected, EventData... events) {
        return result(
                client().appendToStream(stream, AppendToStreamOptions.get().expectedRevision(expected), events));
    }

    protected Throwable appendFailure(String stream, ExpectedRevision expected, EventData... events) {
        return failure(
                client().appendToStream(stream, AppendToStreamOptions.get().expectedRevision(expected), events));
    }

    protected ReadResult readStream(String stream, ReadStreamOptions options) {
        return result(client().readStream(stream, options));
    }

    protected Throwable readFailure(String stream, ReadStreamOptions options) {
        return failure(client().readStream(stream, options));
    }

    protected ReadResult readAll(ReadAllOptions options) {
        return result(client().readAll(options));
    }

    protected Subscription subscribe(String stream, Recorder recorder, SubscribeToStreamOptions options) {
        Subscription subscription = result(client().subscribeToStream(stream, recorder, options));
        subscriptions.add(subscription);
        return subscription;
    }

    protected Subscription subscribeToAll(Recorder recorder, SubscribeToAllOptions options) {
        Subscription subscription = result(client().subscribeToAll(recorder, options));
        subscriptions.add(subscription);
        return subscription;
    }

    /** Writes an event to a stream of its own and returns its position: "from here on" for $all. */
    protected Position startMarker() {
        return append(newStream("marker"), ExpectedRevision.noStream(), json("marker"))
                .getLogPosition();
    }

    protected static List<RecordedEvent> recorded(ReadResult result) {
        return result.getEvents().stream().map(ResolvedEvent::getEvent).toList();
    }

    protected static List<Long> revisions(ReadResult result) {
        return recorded(result).stream().map(RecordedEvent::getRevision).toList();
    }

    protected List<Position> positions(String stream) {
        return recorded(readStream(stream, ReadStreamOptions.get())).stream()
                .map(RecordedEvent::getPosition)
                .toList();
    }

    protected static Predicate<ResolvedEvent> in(String stream) {
        return event -> event.getOriginalEvent().getStreamId().equals(stream);
    }

    protected static List<RecordedEvent> only(List<ResolvedEvent> events, String stream) {
        return events.stream()
                .filter(in(stream))
                .map(ResolvedEvent::getOriginalEvent)
                .toList();
    }

    protected static void assertPositionsStrictlyIncrease(List<ResolvedEvent> events) {
        Position previous = null;
        for (ResolvedEvent event : events) {
            Position position = event.getOriginalEvent().getPosition();
            assertThat(Long.compareUnsigned(position.getCommitUnsigned(), position.getPrepareUnsigned()))
                    .as("commit >= prepare for %s", event.getOriginalEvent())
                    .isGreaterThanOrEqualTo(0);
            if (previous != null) {
                assertThat(position).as("position after %s", previous).isGreaterThan(previous);
            }
            previous = position;
        }
    }

    /** The status the server ends a read or subscription of a tombstoned stream with. */
    protected static void assertStreamDeletedStatus(Throwable error, String stream) {
        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException status = (StatusRuntimeException) error;
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status.getStatus().getDescription()).isEqualTo("Event stream '" + stream + "' is deleted.");
        assertThat(status.getTrailers()).isNotNull();
        assertThat(status.getTrailers().get(EXCEPTION)).isEqualTo("stream-deleted");
        assertThat(status.getTrailers().get(STREAM_NAME)).isEqualTo(stream);
    }

    /** For subclasses' own tests. */
    protected static byte[] bytes(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        return data;
    }
}
