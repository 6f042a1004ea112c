package dev.camel.eventstore.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded hand-over from the subscription to the dispatcher: order, back-pressure when full, and dropping what
 * was already handed over or is no longer wanted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventBufferTest {
    private static final AtomicBoolean WANTED = new AtomicBoolean(true);

    private static Delivery at(long revision) {
        return Delivery.marker(SubscriptionPosition.ofRevision(revision));
    }

    private static EventBuffer started(int capacity) {
        EventBuffer buffer = new EventBuffer(capacity);
        buffer.startAt(SubscriptionPosition.START);
        return buffer;
    }

    @Test
    void handsDeliveriesOverInOrderAndRemembersTheLastOne() throws Exception {
        EventBuffer buffer = started(10);

        for (int n = 0; n < 5; n++) {
            assertThat(buffer.put(at(n), WANTED::get)).isTrue();
        }

        assertThat(buffer.size()).isEqualTo(5);
        assertThat(buffer.lastHandedOver()).isEqualTo(SubscriptionPosition.ofRevision(4));
        for (int n = 0; n < 5; n++) {
            assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(n));
        }
        assertThat(buffer.poll(10)).isNull();
        assertThat(buffer.lastHandedOver())
                .as("polling does not change where a new subscription starts")
                .isEqualTo(SubscriptionPosition.ofRevision(4));
    }

    @Test
    void dropsEverythingBeforeItKnowsWhereItStarts() throws Exception {
        EventBuffer buffer = new EventBuffer(4);

        assertThat(buffer.put(at(0), WANTED::get)).isFalse();
        assertThat(buffer.lastHandedOver()).isNull();
        assertThat(buffer.size()).isZero();
    }

    @Test
    void dropsWhatIsAtOrBeforeTheStartOrTheLastHandedOver() throws Exception {
        EventBuffer buffer = new EventBuffer(10);
        buffer.startAt(SubscriptionPosition.ofRevision(3));
        buffer.startAt(SubscriptionPosition.ofRevision(0));

        assertThat(buffer.put(at(2), WANTED::get)).as("before the start").isFalse();
        assertThat(buffer.put(at(3), WANTED::get)).as("the start itself").isFalse();
        assertThat(buffer.put(at(4), WANTED::get)).isTrue();
        assertThat(buffer.put(at(5), WANTED::get)).isTrue();
        // an old subscription delivering again after a reconnect
        assertThat(buffer.put(at(4), WANTED::get)).isFalse();
        assertThat(buffer.put(at(5), WANTED::get)).isFalse();

        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(4));
        assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(5));
    }

    @Test
    void aFullBufferMakesTheSubscriptionWaitUntilTheDispatcherTakesOne() throws Exception {
        EventBuffer buffer = started(2);
        buffer.put(at(0), WANTED::get);
        buffer.put(at(1), WANTED::get);
        assertThat(buffer.isFull()).isTrue();

        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> put(buffer, at(2), WANTED));
        // it keeps waiting for room, and nothing is lost or reordered meanwhile
        // (lastHandedOver() is not read meanwhile: the waiting hand-over holds its lock until there is room)
        await().during(Duration.ofMillis(300)).until(() -> !third.isDone() && buffer.isFull());
        assertThat(buffer.size()).isEqualTo(2);

        assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(0));
        assertThat(third.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(buffer.lastHandedOver()).isEqualTo(SubscriptionPosition.ofRevision(2));
        assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(1));
        assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(2));
        assertThat(buffer.isFull()).isFalse();
    }

    @Test
    void aWaitingHandOverGivesUpWhenTheDeliveryIsNoLongerWantedAndKeepsNothing() throws Exception {
        EventBuffer buffer = started(1);
        buffer.put(at(0), WANTED::get);
        AtomicBoolean wanted = new AtomicBoolean(true);

        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> put(buffer, at(1), wanted));
        await().until(buffer::isFull);
        wanted.set(false);

        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(buffer.lastHandedOver())
                .as("a new subscription starts after the last event really handed over")
                .isEqualTo(SubscriptionPosition.ofRevision(0));
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.poll(0).position()).isEqualTo(SubscriptionPosition.ofRevision(0));
        assertThat(buffer.poll(10)).isNull();
    }

    private static boolean put(EventBuffer buffer, Delivery delivery, AtomicBoolean wanted) {
        try {
            return buffer.put(delivery, wanted::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
