package dev.camel.eventstore.resume;

import com.eventstore.dbclient.ExpectedRevision;
import dev.camel.eventstore.client.ClientFailures;
import dev.camel.eventstore.client.Clients;
import dev.camel.eventstore.client.Timeouts;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batching policy of checkpoints: writes each key's newest position at most every {@code recordsThreshold}
 * updates or every {@code interval} ms, whichever comes first, one write at a time, on threads the context's writers
 * share ({@link CheckpointThreads}). While the store answers, an update that leaves {@code recordsThreshold} updates
 * unstored waits for the write under way, so a crash repeats at most that many events; while writes fail, they are
 * retried in the background and updates do not wait. The stored position only ever moves forward.
 *
 * <p>Fencing: loading a key claims it (see {@link Checkpoint}), and every later write is made against the revision
 * the previous one left. Once a write is refused because another consumer claimed the key, the key is taken over:
 * nothing more is written for it until it is loaded again, and the listener is told, so that its consumer stops.
 *
 * <p>A service of the CamelContext, not of one route: a strategy shared by several routes keeps writing for the
 * others when one of them stops; the context stops it, writing what is pending, when it stops.
 */
final class CheckpointWriter extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreResumeStrategy.class);
    private static final long AWAIT_MILLIS = 2 * Timeouts.OPERATION.toMillis();

    /** Where one key stands: the newest position reported, and what is stored. */
    private static final class Key {
        final String stream;
        SubscriptionPosition latest;
        SubscriptionPosition stored;
        int updatesSinceWrite;
        boolean writeQueued;
        /** Updates since the position last stored: what a crash now would repeat. */
        int updatesSinceStored;
        /** The write queued or running, until it is done; {@code null} when none is. */
        CompletableFuture<Void> writing;
        /** The stream's revision the next write expects; {@code null} before the key is claimed (any revision). */
        ExpectedRevision revision;
        /** Another consumer claimed the key since this one did. */
        boolean takenOver;

        Key(String stream) {
            this.stream = stream;
        }
    }

    private final CamelContext camelContext;
    private final CheckpointStore store;
    private final Function<String, String> streamFor;
    private final int recordsThreshold;
    private final long interval;
    private final Listener listener;

    /** Told what happens to each key's checkpoint. */
    interface Listener {
        /** A position was stored or loaded for the key. */
        void stored(String key, SubscriptionPosition position);

        /** Another consumer claimed the key: this one must stop. */
        void takenOver(String key, String reason);
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    /** This writer's order on the shared threads; {@code null} while stopped. */
    private volatile SerialExecutor thread;

    private volatile boolean failing;

    CheckpointWriter(
            CamelContext camelContext,
            CheckpointStore store,
            Function<String, String> streamFor,
            int recordsThreshold,
            long interval,
            Listener listener) {
        this.camelContext = camelContext;
        this.store = store;
        this.streamFor = streamFor;
        this.recordsThreshold = recordsThreshold;
        this.interval = interval;
        this.listener = listener;
    }

    CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() {
        thread = new SerialExecutor(CheckpointThreads.of(camelContext));
        thread.every(interval, this::writeAll);
    }

    /** Writes what is pending, then closes the connections the store opened. */
    @Override
    protected void doStop() {
        SerialExecutor t = thread;
        thread = null;
        if (t != null) {
            t.shutdown(Timeouts.OPERATION.toMillis());
        }
        writeAll();
        store.close();
    }

    /**
     * Reads the newest stored position of a key into the writer and claims the key ({@link CheckpointClaim}), so
     * that from now on only this writer's checkpoints are accepted for it; {@code null} when no position is stored.
     */
    SubscriptionPosition load(String key, boolean all) throws Exception {
        Key k = key(key);
        CheckpointClaim.Claimed claimed = CheckpointClaim.claim(store, k.stream, key, all);
        SubscriptionPosition position = claimed.position();
        synchronized (k) {
            k.revision = claimed.revision();
            k.takenOver = false;
            if (position != null) {
                k.stored = position;
                if (k.latest == null || position.isAfter(k.latest)) {
                    k.latest = position;
                }
            }
        }
        if (position != null) {
            listener.stored(key, position);
        }
        return position;
    }

    /** Records one completed update of a key; writes, or waits for the write under way, as the policy says. */
    void update(String key, SubscriptionPosition position) {
        Key k = key(key);
        boolean writeNow;
        Future<?> awaited;
        synchronized (k) {
            if (k.takenOver) {
                return;
            }
            // Every update is one completed event, also when it does not move the position (completed while an
            // earlier event was still in flight). Once recordsThreshold of them are not stored yet, completions
            // wait for the write under way (whatever triggered it): a crash then repeats at most recordsThreshold
            // events plus up to twice maxInFlight (completed beyond the contiguous position, or sent and not yet
            // acknowledged).
            k.updatesSinceWrite++;
            k.updatesSinceStored++;
            // never move back: completions may report positions out of order. The start is no checkpoint: an
            // event completing while an earlier one is still in flight reports it, and storing it would only
            // record what a route without a checkpoint does anyway
            if (!position.isStart() && (k.latest == null || position.isAfter(k.latest))) {
                k.latest = position;
            }
            // one write queued at a time: updates arriving before it runs are covered by it
            writeNow = k.updatesSinceWrite >= recordsThreshold
                    && !k.writeQueued
                    && k.latest != null
                    && !k.latest.equals(k.stored);
            if (writeNow) {
                k.writeQueued = true;
                if (k.writing == null) {
                    k.writing = new CompletableFuture<>();
                }
            }
            awaited = k.updatesSinceStored >= recordsThreshold ? k.writing : null;
        }
        if (writeNow && !submit(key, k)) {
            awaited = null;
        }
        if (awaited != null && !failing) {
            // while the store fails, writes go on in the background and delivery is not held up
            awaitQuietly(awaited);
        }
    }

    private boolean submit(String key, Key k) {
        SerialExecutor t = thread;
        try {
            if (t == null) {
                throw new RejectedExecutionException("not started");
            }
            t.execute(() -> write(key, k));
            return true;
        } catch (RejectedExecutionException e) {
            // stopped or stopping: the final write on stop covers it
            synchronized (k) {
                k.writeQueued = false;
                finishWrite(k);
            }
            return false;
        }
    }

    /** Writes every pending position now, on the writer's thread when it runs. */
    void flush() {
        SerialExecutor t = thread;
        if (t == null) {
            writeAll();
            return;
        }
        try {
            CompletableFuture<Void> written = new CompletableFuture<>();
            t.execute(() -> {
                writeAll();
                written.complete(null);
            });
            written.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Flushing checkpoints failed: {}", e.toString());
        }
    }

    /** The position stored for a key, if any has been written or loaded. */
    SubscriptionPosition stored(String key) {
        Key k = keys.get(key);
        if (k == null) {
            return null;
        }
        synchronized (k) {
            return k.stored;
        }
    }

    private void writeAll() {
        keys.forEach(this::write);
    }

    private void write(String key, Key k) {
        SubscriptionPosition position;
        int covered;
        ExpectedRevision expected;
        synchronized (k) {
            k.writeQueued = false;
            position = k.latest;
            expected = k.revision == null ? ExpectedRevision.any() : k.revision;
            if (k.takenOver || position == null || position.equals(k.stored)) {
                finishWrite(k);
                return;
            }
            // counting restarts from what this write covers, whichever triggered it (count, interval or stop)
            k.updatesSinceWrite = 0;
            covered = k.updatesSinceStored;
            if (k.writing == null) {
                k.writing = new CompletableFuture<>();
            }
        }
        try {
            ExpectedRevision next = store.write(k.stream, Checkpoint.of(key, position), expected);
            synchronized (k) {
                k.stored = position;
                k.updatesSinceStored -= covered;
                if (k.revision != null) {
                    k.revision = next;
                }
            }
            listener.stored(key, position);
            if (failing) {
                failing = false;
                LOG.info("Checkpoint writes succeed again ('{}' at {})", key, position);
            }
        } catch (CheckpointTakenOverException e) {
            takenOver(key, k, position, e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failed(key, k, position, e);
        } finally {
            synchronized (k) {
                finishWrite(k);
            }
        }
    }

    private void takenOver(String key, Key k, SubscriptionPosition position, CheckpointTakenOverException e) {
        synchronized (k) {
            if (k.takenOver) {
                return;
            }
            k.takenOver = true;
        }
        String reason = "checkpoint " + position + " of '" + key + "' was refused: " + e.getMessage()
                + "; another replica runs this consumer now";
        LOG.warn("Stopping the checkpoints of '{}': {}", key, reason);
        listener.takenOver(key, reason);
    }

    private void failed(String key, Key k, SubscriptionPosition position, Exception e) {
        String cause = ClientFailures.unwrap(e).toString();
        if (!failing) {
            failing = true;
            LOG.warn(
                    "Writing checkpoint {} of '{}' to stream '{}' failed ({}); delivery goes on and the write is"
                            + " retried with the next one",
                    position,
                    key,
                    k.stream,
                    Clients.redact(cause));
        } else {
            LOG.debug("Checkpoint write still failing: {}", cause);
        }
    }

    /** Releases the completions waiting for the write under way (called holding {@code k}'s lock). */
    private static void finishWrite(Key k) {
        if (k.writing != null) {
            k.writing.complete(null);
            // a write queued meanwhile is the one to wait for next
            k.writing = k.writeQueued ? new CompletableFuture<>() : null;
        }
    }

    private static void awaitQuietly(Future<?> write) {
        try {
            write.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // write() reports its own failures; the route goes on
        }
    }

    private Key key(String key) {
        return keys.computeIfAbsent(key, k -> new Key(streamFor.apply(k)));
    }
}
