package dev.camel.eventstore.testkit.contract;

import com.eventstore.dbclient.Checkpointer;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A subscription listener (and checkpointer) that records every callback, in order, on one timeline.
 *
 * <p>It never throws from a callback: the 5.4.5 client silently kills a subscription whose listener throws.
 */
final class Recorder extends SubscriptionListener implements Checkpointer {
    /** One callback received. */
    sealed interface Signal permits Confirmed, Event, CaughtUp, FellBehind, Checkpoint, Cancelled {}

    record Confirmed() implements Signal {}

    record Event(ResolvedEvent event) implements Signal {}

    record CaughtUp() implements Signal {}

    record FellBehind() implements Signal {}

    record Checkpoint(Position position) implements Signal {}

    record Cancelled(Throwable error) implements Signal {}

    private final List<Signal> timeline = new CopyOnWriteArrayList<>();
    private final Predicate<ResolvedEvent> relevant;

    /** Records every event. */
    Recorder() {
        this(event -> true);
    }

    /**
     * Records only the events the predicate accepts (e.g. those of this test's streams, on a shared server) but every
     * other callback.
     */
    Recorder(Predicate<ResolvedEvent> relevant) {
        this.relevant = relevant;
    }

    @Override
    public void onConfirmation(Subscription subscription) {
        timeline.add(new Confirmed());
    }

    @Override
    public void onEvent(Subscription subscription, ResolvedEvent event) {
        try {
            if (relevant.test(event)) {
                timeline.add(new Event(event));
            }
        } catch (RuntimeException e) {
            // never let an exception reach the client, it would end the subscription silently
            timeline.add(new Cancelled(e));
        }
    }

    @Override
    public void onCaughtUp(Subscription subscription) {
        timeline.add(new CaughtUp());
    }

    @Override
    public void onFellBehind(Subscription subscription) {
        timeline.add(new FellBehind());
    }

    @Override
    public void onCancelled(Subscription subscription, Throwable exception) {
        timeline.add(new Cancelled(exception));
    }

    @Override
    public CompletableFuture<Void> onCheckpoint(Subscription subscription, Position position) {
        timeline.add(new Checkpoint(position));
        return CompletableFuture.completedFuture(null);
    }

    List<Signal> timeline() {
        return List.copyOf(timeline);
    }

    List<ResolvedEvent> events() {
        return timeline.stream()
                .filter(Event.class::isInstance)
                .map(signal -> ((Event) signal).event())
                .toList();
    }

    /** Revisions of the recorded events, in order of arrival (the resolved event's for a resolved link). */
    List<Long> revisions() {
        return events().stream().map(e -> e.getEvent().getRevision()).toList();
    }

    /** Types of the recorded events, in order of arrival (the original event's type for links). */
    List<String> eventTypes() {
        return events().stream().map(e -> e.getOriginalEvent().getEventType()).toList();
    }

    List<Position> checkpoints() {
        return timeline.stream()
                .filter(Checkpoint.class::isInstance)
                .map(signal -> ((Checkpoint) signal).position())
                .toList();
    }

    boolean isCaughtUp() {
        return timeline.stream().anyMatch(CaughtUp.class::isInstance);
    }

    long caughtUpCount() {
        return timeline.stream().filter(CaughtUp.class::isInstance).count();
    }

    boolean isCancelled() {
        return timeline.stream().anyMatch(Cancelled.class::isInstance);
    }

    /** The error onCancelled received ({@code null} when it was called without one, or not at all). */
    Throwable cancellation() {
        return timeline.stream()
                .filter(Cancelled.class::isInstance)
                .map(signal -> ((Cancelled) signal).error())
                .findFirst()
                .orElse(null);
    }

    /** The timeline reduced to the kinds of its signals, e.g. [Confirmed, Event, Event, CaughtUp]. */
    List<String> kinds() {
        return timeline.stream()
                .map(signal -> signal.getClass().getSimpleName())
                .toList();
    }
}
