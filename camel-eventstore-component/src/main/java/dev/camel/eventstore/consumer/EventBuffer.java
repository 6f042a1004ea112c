package dev.camel.eventstore.consumer;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The bounded hand-over from the subscription to the dispatcher, which also drops what was already handed over.
 *
 * <p>A re-established subscription starts after {@link #lastHandedOver()}, but an old one may still deliver an
 * event or two; anything at or before the last position handed over is dropped, so nothing reaches the route
 * twice within one process, across reconnects included. When the buffer is full the subscription's thread waits,
 * which slows the server down through gRPC flow control.
 */
final class EventBuffer {
    private static final long OFFER_SLICE_MILLIS = 100;

    private final ArrayBlockingQueue<Delivery> queue;
    private final Object handOver = new Object();
    private SubscriptionPosition lastHandedOver;
    private volatile boolean producerWaiting;

    EventBuffer(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Sets the starting point once; positions at or before it are never handed over. */
    void startAt(SubscriptionPosition start) {
        synchronized (handOver) {
            if (lastHandedOver == null) {
                lastHandedOver = start;
            }
        }
    }

    /** Where a new subscription must start: after the last position handed over. */
    SubscriptionPosition lastHandedOver() {
        synchronized (handOver) {
            return lastHandedOver;
        }
    }

    /**
     * Hands a delivery over, waiting for room while {@code stillWanted} holds.
     *
     * @return false when it was dropped (already handed over, or no longer wanted)
     */
    boolean put(Delivery delivery, BooleanSupplier stillWanted) throws InterruptedException {
        synchronized (handOver) {
            if (lastHandedOver == null || !delivery.position().isAfter(lastHandedOver)) {
                return false;
            }
            try {
                while (!queue.offer(delivery, OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
                    producerWaiting = true;
                    if (!stillWanted.getAsBoolean()) {
                        return false;
                    }
                }
            } finally {
                producerWaiting = false;
            }
            lastHandedOver = delivery.position();
            return true;
        }
    }

    /** The next delivery, or {@code null} if none arrives within the timeout. */
    Delivery poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** True while the subscription waits for room: a quiet subscription is then not a lost one. */
    boolean isFull() {
        return producerWaiting || queue.remainingCapacity() == 0;
    }

    int size() {
        return queue.size();
    }
}
