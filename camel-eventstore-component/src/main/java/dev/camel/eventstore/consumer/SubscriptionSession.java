package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.Checkpointer;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One subscription attempt: the client's listener, which hands events and server checkpoints to the buffer, and
 * the signal that the subscription ended.
 *
 * <p>Nothing thrown here may reach the client: an exception from its listener cancels the call without a word.
 */
final class SubscriptionSession extends SubscriptionListener implements Checkpointer {
    private final ConsumerSettings settings;
    private final EventBuffer buffer;
    private final Runnable onCaughtUp;
    private final CountDownLatch ended = new CountDownLatch(1);

    private volatile boolean current = true;
    private volatile Throwable failure;
    private volatile Subscription subscription;
    /** The newest position this session received (event or checkpoint), for the liveness check. */
    private volatile SubscriptionPosition lastSeen;

    private volatile long messages;

    SubscriptionSession(
            ConsumerSettings settings, EventBuffer buffer, SubscriptionPosition start, Runnable onCaughtUp) {
        this.settings = settings;
        this.buffer = buffer;
        this.lastSeen = start;
        this.onCaughtUp = onCaughtUp;
    }

    @Override
    public void onConfirmation(Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public void onEvent(Subscription subscription, ResolvedEvent event) {
        if (!current) {
            return;
        }
        try {
            RecordedEvent original = event.getOriginalEvent();
            SubscriptionPosition position = settings.all
                    ? SubscriptionPosition.ofAll(original.getPosition())
                    : SubscriptionPosition.ofRevision(original.getRevision());
            seen(position);
            boolean leftOut =
                    settings.dropSystemEventsLocally && original.getEventType().startsWith("$");
            buffer.put(leftOut ? Delivery.marker(position) : new Delivery(event, position), () -> current);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            end(e);
        }
    }

    @Override
    public CompletableFuture<Void> onCheckpoint(Subscription subscription, Position position) {
        if (current) {
            try {
                SubscriptionPosition checkpoint = SubscriptionPosition.ofAll(position);
                seen(checkpoint);
                buffer.put(Delivery.marker(checkpoint), () -> current);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                end(e);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onCaughtUp(Subscription subscription) {
        if (current) {
            messages++;
            onCaughtUp.run();
        }
    }

    @Override
    public void onCancelled(Subscription subscription, Throwable exception) {
        end(exception == null ? new IllegalStateException("subscription cancelled") : exception);
    }

    private void seen(SubscriptionPosition position) {
        messages++;
        if (position.isAfter(lastSeen)) {
            lastSeen = position;
        }
    }

    void end(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ended.countDown();
    }

    /** Waits for the end of the subscription; true if it ended. */
    boolean awaitEnd(long millis) throws InterruptedException {
        if (millis <= 0) {
            ended.await();
            return true;
        }
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    Throwable failure() {
        return failure;
    }

    /** Stops listening: later callbacks of this session are ignored, and the subscription is cancelled. */
    void close() {
        current = false;
        Subscription s = subscription;
        if (s != null) {
            s.stop();
        }
    }

    void setSubscription(Subscription subscription) {
        this.subscription = subscription;
    }

    SubscriptionPosition lastSeen() {
        return lastSeen;
    }

    /** A counter that moves with every message received; the liveness check compares it between checks. */
    long messages() {
        return messages;
    }
}
