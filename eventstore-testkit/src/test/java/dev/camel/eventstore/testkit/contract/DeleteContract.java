package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.assertStreamDeletedStatus;
import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.failure;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.recorded;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.DeleteResult;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.StreamDeletedException;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.WrongExpectedVersionException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Deletes: a soft delete hides a stream until it is written again, a tombstone ends it for good (reads, appends and
 * subscriptions then fail with the server's stream-deleted error).
 */
abstract class DeleteContract extends EventStoreContract {
    @Test
    void softDeletedStreamReadsAsMissingAndContinuesItsRevisionsWhenWrittenAgain() {
        String stream = streamWith("soft", "old", 3);

        DeleteResult deleted = result(client().deleteStream(stream));

        assertThat(deleted.getPosition()).isNotNull();
        assertThat(failedReads(stream)).hasOnlyElementsOfType(StreamNotFoundException.class);
        // a soft delete is metadata: truncate before "the end of time"
        assertThat(result(client().getStreamMetadata(stream)).getTruncateBefore())
                .isEqualTo(Long.MAX_VALUE);

        WriteResult again = append(stream, ExpectedRevision.any(), json("new"));

        assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(3));
        List<RecordedEvent> visible = recorded(readStream(stream, ReadStreamOptions.get()));
        assertThat(visible).extracting(RecordedEvent::getRevision).containsExactly(3L);
        assertThat(visible).extracting(RecordedEvent::getEventType).containsExactly("new");
        assertRevisions(stream, ReadStreamOptions.get().backwards().fromEnd(), 3L);
        // writing again truncates before the first new event
        assertThat(result(client().getStreamMetadata(stream)).getTruncateBefore())
                .isEqualTo(3L);
    }

    @Test
    void softDeletedStreamAcceptsNoStreamButNotStreamExists() {
        String stream = streamWith("soft-expected", "old", 3);
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
        String stream = streamWith("tombstone", "e", 2);

        DeleteResult tombstoned = result(client().tombstoneStream(stream));
        assertThat(tombstoned.getPosition()).isNotNull();

        // reads end with the server's stream-deleted status (the 5.4.5 client converts it only for appends)
        failedReads(stream).forEach(failure -> assertStreamDeletedStatus(failure, stream));

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
        Recorder recorder = subscribed(stream, SubscribeToStreamOptions.get());
        eventually().until(recorder::isCaughtUp);

        result(client().tombstoneStream(stream));

        eventually().until(recorder::isCancelled);
        assertStreamDeletedStatus(recorder.cancellation(), stream);
        assertThat(recorder.kinds()).last().isEqualTo("Cancelled");
        // a live subscriber may get the tombstone record itself before the error (the real server sends it)
        assertThat(recorder.eventTypes()).isIn(List.of("e"), List.of("e", "$streamDeleted"));
    }
}
