package dev.camel.eventstore.consumer;

import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The bounded hand-over from the subscription to the dispatcher, which also drops what was already handed over.
 *
 * <p>A re-established subscription starts after {@link #lastHandedOver()}, but an old one may still deliver an
 * event or two; anything at or before the last position handed over is dropped, so nothing reaches the route
 * twice within one process, across reconnects included. When the buffer is full the subscription's thread waits,
 * which slows the server down through gRPC flow control.
 *
 * <p>Each side wakes the other once per batch, not once per event: waking a parked thread is a system call on
 * both sides, and one per event cost more than everything the dispatcher does for a no-op route. While the
 * subscription catches up the dispatcher is woken when {@value #WAKE_BATCH} events wait (or after {@value
 * #CATCH_UP_WAIT_MICROS} us, and by the next event if none came by then); once it is live, at once for each event,
 * as latency then counts. A full buffer lets
 * the subscription go on when a quarter of it is free again.
 */
final class EventBuffer {
    static final int WAKE_BATCH = 64;
    static final long CATCH_UP_WAIT_MICROS = 1000;
    private static final long OFFER_SLICE_MILLIS = 100;

    private final int capacity;
    /** The size at or below which a subscription waiting for room is woken. */
    private final int resumeAt;

    private final ArrayDeque<Delivery> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean dispatcherWaiting;
    /** Whether a put wakes the waiting dispatcher at once, not only for a batch. */
    private boolean wakeForEach;

    private boolean live;
    private volatile boolean producerWaiting;
    /** Guarded by {@link #lock}: written by the subscription, read by others. */
    private SubscriptionPosition lastHandedOver;

    EventBuffer(int capacity) {
        this.capacity = capacity;
        this.resumeAt = capacity - Math.max(1, capacity / 4);
        this.queue = new ArrayDeque<>(Math.min(capacity, 4096));
    }

    /** Sets the starting point once; positions at or before it are never handed over. */
    void startAt(SubscriptionPosition start) {
        lock.lock();
        try {
            if (lastHandedOver == null) {
                lastHandedOver = start;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Where a new subscription must start: after the last position handed over. */
    SubscriptionPosition lastHandedOver() {
        lock.lock();
        try {
            return lastHandedOver;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the subscription is live (caught up) or catching up (again, after a reconnect). */
    void live(boolean live) {
        lock.lock();
        try {
            this.live = live;
            if (live) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a delivery over, waiting for room while {@code stillWanted} holds.
     *
     * @return false when it was dropped (already handed over, or no longer wanted)
     */
    boolean put(Delivery delivery, BooleanSupplier stillWanted) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (lastHandedOver == null || !delivery.position().isAfter(lastHandedOver)) {
                return false;
            }
            try {
                while (queue.size() >= capacity) {
                    producerWaiting = true;
                    notFull.await(OFFER_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                    if (queue.size() >= capacity && !stillWanted.getAsBoolean()) {
                        return false;
                    }
                }
            } finally {
                producerWaiting = false;
            }
            if (!delivery.position().isAfter(lastHandedOver)) {
                // another subscription (an old one, still ending) handed it over while this one waited for room
                return false;
            }
            queue.addLast(delivery);
            lastHandedOver = delivery.position();
            if (dispatcherWaiting && (wakeForEach || queue.size() >= WAKE_BATCH)) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next delivery, or {@code null} if none arrives within the timeout. */
    Delivery poll(long timeoutMillis) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            // while catching up, a batch may still be filling: look again soon rather than be woken per event. If
            // nothing came meanwhile the subscription is slow or idle (or its server never says it caught up):
            // then be woken by the next event, not by a timer every millisecond
            wakeForEach = live;
            while (queue.isEmpty() && left > 0) {
                dispatcherWaiting = true;
                try {
                    long wait =
                            wakeForEach ? left : Math.min(left, TimeUnit.MICROSECONDS.toNanos(CATCH_UP_WAIT_MICROS));
                    left -= wait - notEmpty.awaitNanos(wait);
                    wakeForEach = true;
                } finally {
                    dispatcherWaiting = false;
                }
            }
            Delivery next = queue.pollFirst();
            if (next != null && producerWaiting && queue.size() <= resumeAt) {
                notFull.signal();
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** True while the subscription waits for room: a quiet subscription is then not a lost one. */
    boolean isFull() {
        if (producerWaiting) {
            return true;
        }
        lock.lock();
        try {
            return queue.size() >= capacity;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
