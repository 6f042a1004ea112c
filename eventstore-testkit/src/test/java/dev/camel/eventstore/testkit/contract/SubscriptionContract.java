package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.assertPositionsStrictlyIncrease;
import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.WriteResult;
import org.junit.jupiter.api.Test;

/**
 * Catch-up subscriptions to one stream and to {@code $all}: confirmation first, then the past, caught-up, then live
 * events, from the start, the end, a revision or a position.
 */
abstract class SubscriptionContract extends EventStoreContract {
    @Test
    void streamSubscriptionConfirmsCatchesUpThenDeliversLiveEvents() {
        String stream = streamWith("sub", "e", 3);
        Recorder recorder = subscribed(stream, SubscribeToStreamOptions.get().fromStart());

        // the future completes on the server's confirmation, which comes before anything else
        assertThat(recorder.timeline()).first().isInstanceOf(Recorder.Confirmed.class);
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 3);
        append(stream, ExpectedRevision.expectedRevision(2), numbered("live", 2));
        eventually().until(() -> recorder.events().size() == 5);

        assertThat(recorder.kinds())
                .containsExactly("Confirmed", "Event", "Event", "Event", "CaughtUp", "Event", "Event");
        assertThat(recorder.revisions()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(recorder.eventTypes()).containsExactly("e0", "e1", "e2", "live0", "live1");
        assertThat(recorder.isCancelled()).isFalse();
    }

    @Test
    void streamSubscriptionStartsAfterTheGivenRevision() {
        String stream = streamWith("sub-revision", "e", 4);
        Recorder recorder = subscribed(stream, SubscribeToStreamOptions.get().fromRevision(1));
        eventually().until(recorder::isCaughtUp);
        append(stream, ExpectedRevision.expectedRevision(3), json("e4"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.revisions()).containsExactly(2L, 3L, 4L);
        assertThat(recorder.kinds()).containsExactly("Confirmed", "Event", "Event", "CaughtUp", "Event");
    }

    @Test
    void streamSubscriptionFromEndSeesOnlyNewEvents() {
        String stream = streamWith("sub-end", "e", 3);
        Recorder recorder = subscribed(stream, SubscribeToStreamOptions.get().fromEnd());
        eventually().until(recorder::isCaughtUp);
        append(stream, ExpectedRevision.expectedRevision(2), json("new"));
        eventually().until(() -> recorder.events().size() == 1);

        assertThat(recorder.revisions()).containsExactly(3L);
        assertThat(recorder.kinds()).containsExactly("Confirmed", "CaughtUp", "Event");
    }

    @Test
    void streamSubscriptionToAMissingStreamWaitsForIt() {
        String stream = newStream("sub-missing");
        Recorder recorder = subscribed(stream, SubscribeToStreamOptions.get().fromStart());
        eventually().until(recorder::isCaughtUp);
        assertThat(recorder.events()).isEmpty();

        append(stream, ExpectedRevision.noStream(), numbered("e", 2));
        eventually().until(() -> recorder.events().size() == 2);

        assertThat(recorder.revisions()).containsExactly(0L, 1L);
        assertThat(recorder.isCancelled()).isFalse();
    }

    @Test
    void allSubscriptionFromAPositionDeliversWhatFollowsItThenGoesLive() {
        String stream = newStream("suball");
        WriteResult start = append(stream, ExpectedRevision.noStream(), json("before"));
        append(stream, ExpectedRevision.expectedRevision(0), json("e1"));
        append(stream, ExpectedRevision.expectedRevision(1), json("e2"));
        Recorder recorder = subscribedToAll(stream, SubscribeToAllOptions.get().fromPosition(start.getLogPosition()));
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
        String stream = streamWith("suball-start", "e", 2);
        Recorder recorder = subscribedToAll(stream, SubscribeToAllOptions.get().fromStart());
        eventually().until(() -> recorder.isCaughtUp() && recorder.events().size() == 2);
        append(stream, ExpectedRevision.expectedRevision(1), json("e2"));
        eventually().until(() -> recorder.events().size() == 3);

        assertThat(recorder.eventTypes()).containsExactly("e0", "e1", "e2");
        assertThat(recorder.kinds()).containsExactly("Confirmed", "Event", "Event", "CaughtUp", "Event");
    }

    @Test
    void allSubscriptionFromEndSeesOnlyNewEvents() {
        String stream = streamWith("suball-end", "e", 2);
        Recorder recorder = subscribedToAll(stream, SubscribeToAllOptions.get().fromEnd());
        eventually().until(recorder::isCaughtUp);
        append(stream, ExpectedRevision.expectedRevision(1), json("new"));
        eventually().until(() -> recorder.events().size() == 1);

        assertThat(recorder.eventTypes()).containsExactly("new");
        assertThat(recorder.kinds()).containsExactly("Confirmed", "CaughtUp", "Event");
    }
}
