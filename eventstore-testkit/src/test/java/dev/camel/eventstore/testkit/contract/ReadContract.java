package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.assertPositionsStrictlyIncrease;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.numbered;
import static dev.camel.eventstore.testkit.contract.ContractSupport.only;
import static dev.camel.eventstore.testkit.contract.ContractSupport.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reads of one stream and of {@code $all}: forwards and backwards, from the start, the end, a revision or a position,
 * with a maximum count; what a read event carries; a missing stream.
 */
abstract class ReadContract extends EventStoreContract {
    @Test
    void readStreamForwardsAndBackwardsFromStartEndAndRevisionWithMaxCount() {
        String stream = streamWith("read", "e", 10);

        assertRevisions(stream, ReadStreamOptions.get().forwards().fromStart().maxCount(3), 0L, 1L, 2L);
        assertRevisions(
                stream, ReadStreamOptions.get().forwards().fromRevision(4).maxCount(3), 4L, 5L, 6L);
        assertRevisions(stream, ReadStreamOptions.get().forwards().fromRevision(8), 8L, 9L);
        assertRevisions(stream, ReadStreamOptions.get().forwards().fromRevision(10));
        assertRevisions(stream, ReadStreamOptions.get().forwards().fromEnd());
        assertRevisions(stream, ReadStreamOptions.get().backwards().fromEnd().maxCount(3), 9L, 8L, 7L);
        assertRevisions(
                stream, ReadStreamOptions.get().backwards().fromRevision(5).maxCount(2), 5L, 4L);
        assertRevisions(stream, ReadStreamOptions.get().backwards().fromEnd(), 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);

        ReadResult all = readStream(stream, ReadStreamOptions.get());
        assertThat(recorded(all))
                .extracting(RecordedEvent::getEventType)
                .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        assertThat(all.getLastStreamPosition()).isEqualTo(9L);
    }

    @Test
    void readStreamOfAMissingStreamIsNotFound() {
        String stream = newStream("missing");

        for (Throwable failure : failedReads(stream)) {
            assertThat(failure).isInstanceOf(StreamNotFoundException.class);
            assertThat(((StreamNotFoundException) failure).getStreamName()).isEqualTo(stream);
        }
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
        List<ResolvedEvent> fromAll = readAllForwards(json.getPosition(), 2);
        assertThat(fromAll).extracting(e -> e.getEvent().getEventId()).containsExactly(jsonId, binaryId);
        assertThat(fromAll)
                .extracting(e -> e.getEvent().getPosition())
                .containsExactly(json.getPosition(), binary.getPosition());
        assertThat(fromAll.get(0).getPosition())
                .contains(new Position(
                        json.getPosition().getCommitUnsigned(),
                        json.getPosition().getCommitUnsigned()));
    }

    @Test
    void readAllForwardsFromAPositionIncludesTheEventAtThatPosition() {
        String stream = newStream("all-forwards");
        // one write: its events are contiguous in $all whatever else the server writes
        append(stream, ExpectedRevision.noStream(), numbered("e", 5));
        List<Position> positions = positions(stream);

        List<ResolvedEvent> read = readAllForwards(positions.get(1), 3);

        assertThat(read).extracting(e -> e.getEvent().getStreamId()).containsOnly(stream);
        assertThat(read).extracting(e -> e.getEvent().getEventType()).containsExactly("e1", "e2", "e3");
        assertThat(read)
                .extracting(e -> e.getEvent().getPosition())
                .containsExactly(positions.get(1), positions.get(2), positions.get(3));
    }

    @Test
    void readAllBackwardsFromAPositionStartsBeforeTheEventAtThatPosition() {
        String stream = streamWith("all-backwards", "e", 5);
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
        String stream = streamWith("all-start", "e", 3);
        append(stream, ExpectedRevision.expectedRevision(2), json("e3"));

        List<ResolvedEvent> all =
                readAll(ReadAllOptions.get().forwards().fromStart()).getEvents();

        assertThat(only(all, stream)).extracting(RecordedEvent::getEventType).containsExactly("e0", "e1", "e2", "e3");
        assertPositionsStrictlyIncrease(all);
    }

    @Test
    void readAllBackwardsFromEndSeesTheNewestEventsFirst() {
        String stream = streamWith("all-end", "e", 3);

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
}
