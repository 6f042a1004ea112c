package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.failure;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.WrongExpectedVersionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Appends: each kind of expected revision, what a write returns (next revision, log position), the errors of a
 * wrong expectation, and retries of an append that already went through.
 */
abstract class AppendContract extends EventStoreContract {
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
}
