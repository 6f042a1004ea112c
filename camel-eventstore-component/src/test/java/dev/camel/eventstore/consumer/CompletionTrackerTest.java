package dev.camel.eventstore.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The processed position's watermark: it moves only over the contiguous run of completed entries at the head. */
class CompletionTrackerTest {
    private final CompletionTracker tracker = new CompletionTracker();

    private static SubscriptionPosition at(long revision) {
        return SubscriptionPosition.ofRevision(revision);
    }

    private List<CompletionTracker.Entry> register(int count) {
        List<CompletionTracker.Entry> entries = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            entries.add(tracker.register(at(n)));
        }
        return entries;
    }

    @Test
    void hasNoWatermarkBeforeItStartsAndTakesOnlyTheFirstStartingPoint() {
        assertThat(tracker.watermark()).isNull();

        tracker.startAt(at(4));
        tracker.startAt(at(9));

        assertThat(tracker.watermark()).isEqualTo(at(4));
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void inOrderCompletionMovesTheWatermarkOneEntryAtATime() {
        tracker.startAt(SubscriptionPosition.START);
        List<CompletionTracker.Entry> entries = register(3);

        for (int n = 0; n < 3; n++) {
            assertThat(tracker.complete(entries.get(n))).isEqualTo(at(n));
            assertThat(tracker.watermark()).isEqualTo(at(n));
            assertThat(tracker.outstanding()).isEqualTo(2 - n);
        }
    }

    @Test
    void outOfOrderCompletionWaitsForTheHeadThenCoversTheWholeCompletedRun() {
        tracker.startAt(SubscriptionPosition.START);
        List<CompletionTracker.Entry> entries = register(5);

        // 4, 3, 1 complete while 0 is still in flight: nothing moves
        for (int n : new int[] {4, 3, 1}) {
            assertThat(tracker.complete(entries.get(n))).isNull();
            assertThat(tracker.watermark()).isEqualTo(SubscriptionPosition.START);
        }
        assertThat(tracker.outstanding()).isEqualTo(5);

        // 0 completes: the run 0..1 is contiguous, 2 is not done, so the watermark stops at 1
        assertThat(tracker.complete(entries.get(0))).isEqualTo(at(1));
        assertThat(tracker.watermark()).isEqualTo(at(1));
        assertThat(tracker.outstanding()).isEqualTo(3);

        // 2 completes: 2, 3 and 4 are all done
        assertThat(tracker.complete(entries.get(2))).isEqualTo(at(4));
        assertThat(tracker.watermark()).isEqualTo(at(4));
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void anEntryThatNeverCompletesHoldsTheWatermarkBeforeIt() {
        tracker.startAt(at(10));
        CompletionTracker.Entry failed = tracker.register(at(11));
        List<CompletionTracker.Entry> after = List.of(tracker.register(at(12)), tracker.register(at(13)));

        after.forEach(tracker::complete);

        assertThat(tracker.watermark()).isEqualTo(at(10));
        assertThat(tracker.outstanding()).isEqualTo(3);
        assertThat(tracker.complete(failed)).isEqualTo(at(13));
    }

    @Test
    void aWatermarkReachedByCompletionIsNotMovedBackByALateStartingPoint() {
        CompletionTracker.Entry entry = tracker.register(at(3));
        assertThat(tracker.complete(entry)).isEqualTo(at(3));

        tracker.startAt(SubscriptionPosition.START);

        assertThat(tracker.watermark()).isEqualTo(at(3));
    }

    @Test
    void completingAnEntryTwiceMovesNothingMore() {
        tracker.startAt(SubscriptionPosition.START);
        List<CompletionTracker.Entry> entries = register(2);
        tracker.complete(entries.get(0));

        assertThat(tracker.complete(entries.get(0))).isNull();
        assertThat(tracker.watermark()).isEqualTo(at(0));
        assertThat(tracker.outstanding()).isEqualTo(1);
    }
}
