package dev.camel.eventstore.consumer;

import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionFilter;
import dev.camel.eventstore.client.ClientFailures;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.client.ConnectionProbe;
import dev.camel.eventstore.client.Timeouts;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one catch-up subscription alive for the consumer: subscribes, watches it, and re-subscribes after the last
 * position handed to the route whenever it is lost (an error, a server restart, a subscription that ended without a
 * word, a client that shut itself down), with bounded exponential backoff. Each outage is logged once.
 *
 * <p>Failures that retrying cannot fix (authentication, a deleted stream, a request the server rejects) stop the
 * route instead, with a message naming the cause.
 */
final class SubscriptionSupervisor implements Runnable {
    private static final long SUBSCRIBE_TIMEOUT_SECONDS = Timeouts.SUBSCRIBE.toSeconds();

    private final ConsumerHost host;
    private final ConsumerSettings settings;
    private final EventBuffer buffer;
    private final CompletionTracker tracker;
    private final ClientHandle connection;
    private final LivenessProbe liveness;
    private final Object wakeUp = new Object();

    private volatile boolean running = true;
    private volatile SubscriptionSession session;
    /** The client of the last subscription: the one a failure is about (another user may have renewed it since). */
    private EventStoreDBClient subscribedWith;
    /** The thread running {@link #run}, interrupted by {@link #stop} to end any wait for the server. */
    private volatile Thread runner;

    private boolean started;
    /** Why the server could not be reached, found by a probe at the start of the outage. */
    private String unreachableCause;

    private boolean probed;
    private int failedAttempts;
    private long outageStart;

    SubscriptionSupervisor(
            ConsumerHost host, ConsumerSettings settings, EventBuffer buffer, CompletionTracker tracker) {
        this.host = host;
        this.settings = settings;
        this.buffer = buffer;
        this.tracker = tracker;
        this.connection = host.connection();
        this.liveness = new LivenessProbe(settings);
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        try {
            while (running) {
                Throwable failure;
                try {
                    failure = runOnce();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    failure = e;
                }
                if (!running) {
                    break;
                }
                if (!handle(ClientFailures.unwrap(failure))) {
                    break;
                }
            }
        } finally {
            SubscriptionSession last = session;
            if (last != null) {
                last.close();
            }
            connection.close();
        }
    }

    /** One subscription, from connecting to its end; returns why it ended. */
    private Throwable runOnce() throws Exception {
        EventStoreDBClient c = connection.client();
        subscribedWith = c;
        if (!started) {
            SubscriptionPosition start = initialPosition(c);
            buffer.startAt(start);
            tracker.startAt(start);
            started = true;
        }
        SubscriptionPosition from = buffer.lastHandedOver();
        buffer.live(false);
        SubscriptionSession s = new SubscriptionSession(settings, buffer, from, () -> {
            buffer.live(true);
            host.caughtUp();
        });
        session = s;
        Future<Subscription> subscribing = subscribe(c, s, from);
        Subscription subscription;
        try {
            subscription = subscribing.get(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            subscribing.cancel(true);
            s.close();
            return new TimeoutException("no subscription confirmation within " + SUBSCRIBE_TIMEOUT_SECONDS + " s");
        }
        s.setSubscription(subscription);
        recovered(from);
        host.subscribed();
        try {
            return watch(c, s);
        } finally {
            s.close();
        }
    }

    /**
     * Where the first subscription starts: the position the resume strategy stored, else the configured initial
     * position ("latest" becomes the current head of the log, so that it can be checkpointed).
     */
    private SubscriptionPosition initialPosition(EventStoreDBClient c) throws Exception {
        SubscriptionPosition stored = host.storedPosition();
        if (stored != null) {
            return stored;
        }
        SubscriptionPosition start = settings.startAtEnd ? LogHead.position(c, settings) : settings.initialPosition;
        ConsumerLog.LOG.info(
                "{} starts after {} ({}; no stored position)",
                host.describe(),
                start,
                settings.startAtEnd ? "the end of the log" : "initialPosition");
        return start;
    }

    private Future<Subscription> subscribe(EventStoreDBClient c, SubscriptionSession s, SubscriptionPosition from) {
        if (settings.all) {
            SubscribeToAllOptions options = SubscribeToAllOptions.get().resolveLinkTos(settings.resolveLinkTos);
            options = from.isStart() ? options.fromStart() : options.fromPosition(from.toPosition());
            SubscriptionFilter filter = settings.buildFilter(s);
            if (filter != null) {
                options = options.filter(filter);
            }
            return c.subscribeToAll(s, settings.credentials.apply(options));
        }
        SubscribeToStreamOptions options = SubscribeToStreamOptions.get().resolveLinkTos(settings.resolveLinkTos);
        options = from.isStart() ? options.fromStart() : options.fromRevision(from.revision());
        return c.subscribeToStream(settings.stream, s, settings.credentials.apply(options));
    }

    /**
     * Waits for the subscription to end. A quiet subscription is checked against the head of the log every
     * liveness interval; two checks in a row that find something it should have delivered end it.
     */
    private Throwable watch(EventStoreDBClient c, SubscriptionSession s) throws Exception {
        long interval = settings.livenessCheckInterval;
        long seenAtLastCheck = s.messages();
        int strikes = 0;
        while (running) {
            if (s.awaitEnd(interval)) {
                return s.failure();
            }
            long seen = s.messages();
            if (seen != seenAtLastCheck || buffer.isFull()) {
                // it is talking, or it is quiet because the route is slow: not lost
                seenAtLastCheck = seen;
                strikes = 0;
                continue;
            }
            if (liveness.behind(c, s.lastSeen())) {
                if (++strikes >= 2) {
                    return new SubscriptionLostException("the subscription delivered nothing for "
                            + (2 * interval) + " ms although the log holds events after " + s.lastSeen()
                            + ": it ended without notice");
                }
            } else {
                strikes = 0;
            }
        }
        return null;
    }

    /** Decides what a failure means; false when the supervisor must stop. */
    private boolean handle(Throwable failure) throws RuntimeException {
        String fatal = ClientFailures.fatalReason(failure);
        if (fatal != null) {
            host.failed(fatal, failure);
            return false;
        }
        if (failure instanceof ConnectionShutdownException || failure instanceof TimeoutException) {
            // the 5.4.5 client shuts itself down for good after its discovery attempts: a new one is needed
            if (!connection.renewable()) {
                host.failed(
                        "the configured EventStoreDB client shut itself down and cannot be re-created; configure a"
                                + " connectionString so that the consumer can reconnect by itself",
                        failure);
                return false;
            }
            // renewed for every user sharing the client; a subscription that timed out renews it only when it does
            // not answer others either
            if (!connection.renewAfter(subscribedWith, failure)) {
                connection.renewIfUnanswering(subscribedWith);
            }
        }
        failedAttempts++;
        String reason = ClientFailures.describe(failure);
        if (failure instanceof ConnectionShutdownException) {
            if (!probed) {
                probed = true;
                // probed once per outage: what the client's own (usually silenced) log would have said
                String connectionString = connection.connectionString();
                unreachableCause = connectionString == null ? null : ConnectionProbe.diagnose(connectionString);
            }
            if (unreachableCause != null) {
                reason = reason + ": " + unreachableCause;
            }
        }
        SubscriptionPosition from = buffer.lastHandedOver();
        host.reconnecting(reason, failure);
        long delay = Delays.delay(settings.reconnectBackOff, failedAttempts);
        if (failedAttempts == 1) {
            outageStart = System.nanoTime();
            ConsumerLog.LOG.warn(
                    "Subscription of {} lost: {}. {} with backoff up to {} ms.",
                    host.describe(),
                    reason,
                    from == null ? "Subscribing again" : "Re-subscribing after " + from,
                    Delays.max(settings.reconnectBackOff));
        } else {
            ConsumerLog.LOG.debug(
                    "Subscription of {} still unavailable (attempt {}): {}", host.describe(), failedAttempts, reason);
        }
        pause(delay);
        return running;
    }

    private void recovered(SubscriptionPosition from) {
        if (failedAttempts > 0) {
            ConsumerLog.LOG.info(
                    "Subscription of {} re-established from {} after {} attempts ({} ms).",
                    host.describe(),
                    from,
                    failedAttempts,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart));
            failedAttempts = 0;
            unreachableCause = null;
            probed = false;
        }
    }

    /** The head of the log as the connected client reads it; {@code null} while no client is connected. */
    SubscriptionPosition logHead() throws Exception {
        EventStoreDBClient current = connection.current();
        return current == null ? null : LogHead.position(current, settings);
    }

    private void pause(long millis) {
        synchronized (wakeUp) {
            long deadline = System.currentTimeMillis() + millis;
            long left = millis;
            while (running && left > 0) {
                try {
                    wakeUp.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    return;
                }
                left = deadline - System.currentTimeMillis();
            }
        }
    }

    /** Ends the subscription and the supervision; the thread exits soon after. */
    void stop() {
        running = false;
        SubscriptionSession s = session;
        if (s != null) {
            s.end(null);
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        // a server that does not answer would otherwise hold the stop for the subscribe (30 s) or read (10 s)
        // timeout: a confirmation or a liveness read is waited for with a blocking get
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Raised when a subscription is found to have ended without the client saying so. */
    static final class SubscriptionLostException extends Exception {
        private static final long serialVersionUID = 1L;

        SubscriptionLostException(String message) {
            super(message, null, false, false);
        }
    }
}
