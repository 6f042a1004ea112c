package dev.camel.eventstore.consumer;

import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;

/**
 * Routes the buffered events in order, with at most {@code maxInFlight} exchanges in flight through Camel's
 * asynchronous routing engine, and handles failed exchanges.
 *
 * <p>An exchange that fails without being handled by the route's error handler is never skipped: nothing after it
 * is dispatched until it succeeds. It is delivered again with exponential backoff, or the route is stopped, as
 * {@code failedExchangeAction} and {@code retryMaxAttempts} say; the route is stopped at once when it failed with
 * an exception the host calls unprocessable ({@code UnprocessableEventException}).
 */
final class EventDispatcher implements Runnable {
    private static final long POLL_MILLIS = 100;

    /** An event whose exchange failed (at {@code failedAt}, in ms), waiting to be delivered again. */
    private record Failure(
            Delivery delivery, CompletionTracker.Entry entry, int attempt, Exception cause, long failedAt) {}

    private final ConsumerHost host;
    private final ConsumerSettings settings;
    private final EventBuffer buffer;
    private final CompletionTracker tracker;
    private final Semaphore inFlight;
    /** Retried in log order, whatever order their exchanges failed in (several may be in flight). */
    private final PriorityQueue<Failure> failures =
            new PriorityQueue<>(Comparator.comparing(f -> f.delivery().position()));
    /** Failed events not yet delivered successfully; while any exists nothing new is dispatched. */
    private int unresolvedFailures;
    /** Whether the current run of failures was logged: exchanges failing together are one problem, one line. */
    private boolean failuresLogged;
    /** Taken from the buffer, then held back because an exchange failed while it waited for room. */
    private Delivery parked;
    /** With oneInFlightPerStream: the streams that have an exchange in flight. */
    private final Set<String> streamsInFlight = new HashSet<>();

    private volatile boolean running = true;

    EventDispatcher(ConsumerHost host, ConsumerSettings settings, EventBuffer buffer, CompletionTracker tracker) {
        this.host = host;
        this.settings = settings;
        this.buffer = buffer;
        this.tracker = tracker;
        this.inFlight = new Semaphore(settings.maxInFlight);
    }

    @Override
    public void run() {
        try {
            while (running) {
                Failure failure = nextFailure();
                if (failure != null) {
                    retry(failure);
                } else if (hasUnresolvedFailures()) {
                    awaitChange();
                } else {
                    Delivery delivery = parked != null ? parked : buffer.poll(POLL_MILLIS);
                    parked = null;
                    if (delivery != null) {
                        dispatch(delivery);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(Delivery delivery) throws InterruptedException {
        if (delivery.isMarker()) {
            host.movedWithoutExchange(tracker.complete(tracker.register(delivery.position())));
            return;
        }
        while (!inFlight.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!running) {
                return;
            }
        }
        if (settings.oneInFlightPerStream && !awaitStream(delivery)) {
            inFlight.release();
            return;
        }
        if (hasUnresolvedFailures()) {
            // an exchange failed while this one waited for room (its failure is registered before it frees
            // the room or its stream): this event goes after the failed one's retries, not before them
            inFlight.release();
            parked = delivery;
            return;
        }
        send(delivery, tracker.register(delivery.position()), 1);
    }

    /** Waits until no exchange of the event's stream is in flight; false if the dispatcher was stopped meanwhile. */
    private synchronized boolean awaitStream(Delivery delivery) throws InterruptedException {
        String stream = streamOf(delivery);
        while (running && streamsInFlight.contains(stream)) {
            wait(POLL_MILLIS);
        }
        return running;
    }

    private static String streamOf(Delivery delivery) {
        return delivery.event().getEvent() != null
                ? delivery.event().getEvent().getStreamId()
                : delivery.event().getOriginalEvent().getStreamId();
    }

    private synchronized void streamInFlight(Delivery delivery, boolean inFlight) {
        if (inFlight) {
            streamsInFlight.add(streamOf(delivery));
        } else {
            streamsInFlight.remove(streamOf(delivery));
            notifyAll();
        }
    }

    private void send(Delivery delivery, CompletionTracker.Entry entry, int attempt) {
        Exchange exchange = host.createExchange(delivery.event(), delivery.position(), attempt);
        exchange.getExchangeExtension().addOnCompletion(new CompletionRecorder(host, tracker, entry));
        if (settings.oneInFlightPerStream) {
            streamInFlight(delivery, true);
        }
        host.getAsyncProcessor().process(exchange, doneSync -> {
            Exception cause = CompletionRecorder.failure(exchange);
            if (cause != null) {
                host.count(false);
                failed(new Failure(delivery, entry, attempt, cause, System.currentTimeMillis()));
            } else if (attempt > 1) {
                // counted as delivered by the CompletionRecorder
                resolved(delivery, attempt);
            }
            host.releaseExchange(exchange, false);
            if (settings.oneInFlightPerStream) {
                // after the failure is registered: an event of the stream waiting for it must see the failure
                streamInFlight(delivery, false);
            }
            inFlight.release();
        });
    }

    private synchronized void failed(Failure failure) {
        if (failure.attempt() == 1) {
            unresolvedFailures++;
        }
        failures.add(failure);
        notifyAll();
    }

    private synchronized void resolved(Delivery delivery, int attempt) {
        unresolvedFailures--;
        if (unresolvedFailures == 0) {
            failuresLogged = false;
            ConsumerLog.LOG.info(
                    "Event at {} of {} delivered after {} attempts.", delivery.position(), host.describe(), attempt);
        } else {
            ConsumerLog.LOG.debug("Event at {} delivered after {} attempts.", delivery.position(), attempt);
        }
        notifyAll();
    }

    private synchronized Failure nextFailure() {
        return failures.poll();
    }

    private synchronized boolean hasUnresolvedFailures() {
        return unresolvedFailures > 0;
    }

    private synchronized void awaitChange() throws InterruptedException {
        if (running && failures.isEmpty() && unresolvedFailures > 0) {
            wait(POLL_MILLIS);
        }
    }

    private void retry(Failure failure) throws InterruptedException {
        String reason = failure.cause().getClass().getSimpleName() + ": "
                + failure.cause().getMessage();
        boolean exhausted = settings.retryMaxAttempts > 0 && failure.attempt() >= settings.retryMaxAttempts;
        boolean unprocessable = host.unprocessable(failure.cause());
        if (settings.stopOnFailedExchange || exhausted || unprocessable) {
            running = false;
            host.failed(
                    "the exchange of the event at " + failure.delivery().position() + " failed"
                            + (exhausted ? " " + failure.attempt() + " times" : "") + " and was not handled by the"
                            + " route's error handler (" + reason + ")"
                            + (unprocessable && !exhausted ? "; retrying cannot fix it" : "")
                            + "; it was not checkpointed and will be delivered again when the route starts",
                    failure.cause());
            return;
        }
        long delay = Delays.delay(settings.retryBackOff, failure.attempt());
        if (failure.attempt() == 1 && firstOfItsRun()) {
            ConsumerLog.LOG.warn(
                    "The exchange of the event at {} of {} failed ({}); delivering it again in {} ms, with backoff up"
                            + " to {} ms. Nothing after it is dispatched meanwhile.",
                    failure.delivery().position(),
                    host.describe(),
                    reason,
                    delay,
                    Delays.max(settings.retryBackOff));
        } else {
            ConsumerLog.LOG.debug(
                    "Attempt {} of the event at {} failed: {}",
                    failure.attempt(),
                    failure.delivery().position(),
                    reason);
        }
        // the delay counts from the failure, not from the previous retry: the exchanges of a failed batch, failing
        // together, are retried together after one delay rather than one delay apart
        if (!pause(failure.failedAt() + delay - System.currentTimeMillis()) || yieldToEarlier(failure)) {
            return;
        }
        while (!inFlight.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!running) {
                return;
            }
        }
        send(failure.delivery(), failure.entry(), failure.attempt() + 1);
    }

    private synchronized boolean firstOfItsRun() {
        boolean first = !failuresLogged;
        failuresLogged = true;
        return first;
    }

    /** Puts the failure back if an earlier event failed while it waited: that one is retried first. */
    private synchronized boolean yieldToEarlier(Failure failure) {
        Failure earliest = failures.peek();
        if (earliest != null
                && earliest.delivery().position().compareTo(failure.delivery().position()) < 0) {
            failures.add(failure);
            return true;
        }
        return false;
    }

    /** Waits out a retry delay; false if the dispatcher was stopped meanwhile. */
    private synchronized boolean pause(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; running && left > 0; left = deadline - System.currentTimeMillis()) {
            wait(left);
        }
        return running;
    }

    /** Stops dispatching; exchanges already in flight complete on their own. */
    synchronized void stop() {
        running = false;
        notifyAll();
    }

    /** Waits until no exchange is in flight; false if some still are after the timeout. */
    boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        if (inFlight.tryAcquire(settings.maxInFlight, timeoutMillis, TimeUnit.MILLISECONDS)) {
            inFlight.release(settings.maxInFlight);
            return true;
        }
        return false;
    }
}
