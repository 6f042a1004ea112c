package dev.camel.eventstore.resume;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import com.eventstore.dbclient.StreamNotFoundException;
import dev.camel.eventstore.Clients;
import dev.camel.eventstore.SubscriptionPosition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.resume.Offset;
import org.apache.camel.resume.OffsetKey;
import org.apache.camel.resume.Resumable;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resume strategy that stores each consumer's position in a stream of the same EventStoreDB: {@code
 * <checkpointStreamPrefix><checkpoint key>}, one small JSON event per checkpoint, the older ones truncated by the stream's
 * {@code $maxCount}.
 *
 * <p>It writes at most every {@link #setCheckpointRecordsThreshold checkpointRecordsThreshold} updates or every {@link
 * #setCheckpointInterval checkpointInterval} ms, whichever comes first, and on stop. Writes run on a thread of its
 * own; while the database answers, the route waits for a write triggered by the count, so a crash repeats at most
 * {@code checkpointRecordsThreshold} events. While writes fail, they are retried in the background and delivery goes on
 * unhindered. The stored position only ever moves forward. Use it with {@code
 * from("eventstore:...").resumable("checkpoints")} and a bean of this class named {@code checkpoints}.
 *
 * <p>Without a connection string or client of its own it uses the consumer's connection.
 */
public class EventStoreResumeStrategy extends ServiceSupport implements ResumeStrategy {
    /** The default of {@code checkpointStreamPrefix}: stream {@code camel-checkpoint-<key>}. */
    public static final String DEFAULT_CHECKPOINT_STREAM_PREFIX = "camel-checkpoint-";
    /** The default of {@code checkpointRecordsThreshold}: EventStoreDB connectors' autocommit:recordsThreshold. */
    public static final int DEFAULT_CHECKPOINT_RECORDS_THRESHOLD = 1000;
    /** The default of {@code checkpointInterval} in milliseconds: EventStoreDB connectors' autocommit:interval. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(EventStoreResumeStrategy.class);
    /**
     * A system-style type: consumers of $all leave out system events by default, so no connector delivers another
     * connector's (or its own) checkpoints.
     */
    private static final String EVENT_TYPE = "$checkpoint";

    private static final Pattern POSITION = Pattern.compile("\"position\"\\s*:\\s*\"([^\"]*)\"");
    private static final long IO_TIMEOUT_SECONDS = 10;

    private String connectionString;
    private EventStoreDBClient client;
    private String username;
    private String password;
    private String checkpointStreamPrefix = DEFAULT_CHECKPOINT_STREAM_PREFIX;
    private long maxCount = 10;
    private int checkpointRecordsThreshold = DEFAULT_CHECKPOINT_RECORDS_THRESHOLD;
    private long checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;

    private final Set<ResumeAdapter> adapters = ConcurrentHashMap.newKeySet();
    private volatile ResumeAdapter adapter;
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
    private ResumeStrategyConfiguration configuration = new Configuration();
    private ScheduledExecutorService writer;
    private Clients.Handle connection;
    private String fallbackConnectionString;
    private EventStoreDBClient fallbackClient;
    private volatile boolean failing;
    private final AtomicInteger users = new AtomicInteger();

    /** Where one key stands: the newest position reported, and what is stored. */
    private static final class Checkpoint {
        final String stream;
        SubscriptionPosition latest;
        SubscriptionPosition stored;
        int updatesSinceWrite;
        boolean writeQueued;
        /** Updates since the position last stored: what a crash now would repeat. */
        int updatesSinceStored;
        /** The write queued or running, until it is done; {@code null} when none is. */
        java.util.concurrent.CompletableFuture<Void> writing;

        boolean metadataSet;

        Checkpoint(String stream) {
            this.stream = stream;
        }
    }

    private static final class Configuration extends ResumeStrategyConfiguration {
        @Override
        public String resumeStrategyService() {
            return "eventstore-resume-strategy";
        }
    }

    // ---- Camel's resume API ----

    @Override
    public void setAdapter(ResumeAdapter adapter) {
        // one strategy may serve several routes: each route sets its own adapter
        this.adapter = adapter;
        adapters.add(adapter);
    }

    @Override
    public ResumeAdapter getAdapter() {
        return adapter;
    }

    /** Loads the stored position of every bound {@code eventstore:} adapter. */
    @Override
    public void loadCache() throws Exception {
        for (ResumeAdapter each : adapters) {
            if (each instanceof EventStoreResumeAdapter a && a.getKey() != null) {
                load(a);
            }
        }
    }

    /** Reads the newest stored checkpoint of the adapter's key into it. */
    public void load(EventStoreResumeAdapter target) throws Exception {
        String stream = streamFor(target.getKey());
        try {
            List<ResolvedEvent> newest = client().readStream(
                            stream,
                            credentials(ReadStreamOptions.get()
                                    .backwards()
                                    .fromEnd()
                                    .maxCount(1)))
                    .get(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getEvents();
            if (!newest.isEmpty()) {
                String json = new String(newest.get(0).getOriginalEvent().getEventData(), StandardCharsets.UTF_8);
                Matcher m = POSITION.matcher(json);
                if (!m.find()) {
                    throw new IllegalStateException(
                            "The checkpoint stream '" + stream + "' holds an event that is not a checkpoint: " + json);
                }
                SubscriptionPosition position = SubscriptionPosition.parse(m.group(1), target.isAll());
                target.setPosition(position);
                Checkpoint c = checkpoint(target.getKey());
                synchronized (c) {
                    c.stored = position;
                    c.latest = position;
                }
                LOG.info("Loaded checkpoint {} of '{}' from stream '{}'", position, target.getKey(), stream);
            } else {
                LOG.info("No checkpoint stored for '{}' (stream '{}')", target.getKey(), stream);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof com.eventstore.dbclient.ConnectionShutdownException) {
                // the client gave up on an unreachable server for good: the next load (the consumer retries) needs
                // a new one
                dropConnection();
            }
            if (!(e.getCause() instanceof StreamNotFoundException)) {
                throw e;
            }
            LOG.info("No checkpoint stored for '{}' (stream '{}')", target.getKey(), stream);
        } catch (java.util.concurrent.TimeoutException e) {
            dropConnection();
            throw e;
        }
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset) {
        updateLastOffset(offset.getOffsetKey(), offset.getLastOffset());
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset, UpdateCallBack updateCallBack) {
        updateLastOffset(offset.getOffsetKey(), offset.getLastOffset(), updateCallBack);
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offsetValue) {
        updateLastOffset(offsetKey, offsetValue, null);
    }

    /** Records the position; it is written when enough updates or time have gone by. */
    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset, UpdateCallBack updateCallBack) {
        String key = String.valueOf(offsetKey.getValue());
        Object value = offset.getValue();
        SubscriptionPosition position = value instanceof SubscriptionPosition p
                ? p
                : SubscriptionPosition.parse(
                        String.valueOf(value), String.valueOf(value).contains("/"));
        Checkpoint c = checkpoint(key);
        boolean writeNow;
        java.util.concurrent.Future<?> awaited;
        synchronized (c) {
            // Every update is one completed event, also when it does not move the position (completed while an
            // earlier event was still in flight). Once checkpointRecordsThreshold of them are not stored yet,
            // completions
            // wait for the write under way (whatever triggered it): a crash then repeats at most
            // checkpointRecordsThreshold
            // events plus up to twice maxInFlight (completed beyond the contiguous position, or sent and not yet
            // acknowledged).
            c.updatesSinceWrite++;
            c.updatesSinceStored++;
            if (c.latest == null || position.isAfter(c.latest)) {
                // never move back: completions may report positions out of order
                c.latest = position;
            }
            // one write queued at a time: updates arriving before it runs are covered by it
            writeNow =
                    c.updatesSinceWrite >= checkpointRecordsThreshold && !c.writeQueued && !c.latest.equals(c.stored);
            if (writeNow) {
                c.writeQueued = true;
                if (c.writing == null) {
                    c.writing = new java.util.concurrent.CompletableFuture<>();
                }
            }
            awaited = c.updatesSinceStored >= checkpointRecordsThreshold ? c.writing : null;
        }
        if (writeNow) {
            ScheduledExecutorService w = writer;
            try {
                if (w == null) {
                    throw new RejectedExecutionException("not started");
                }
                w.submit(() -> write(key, c));
            } catch (RejectedExecutionException e) {
                // stopped or stopping: the final write on stop covers it
                synchronized (c) {
                    c.writeQueued = false;
                    finishWrite(c);
                }
                awaited = null;
            }
        }
        if (awaited != null && !failing) {
            // while the store fails, writes go on in the background and delivery is not held up
            awaitQuietly(awaited);
        }
        notify(updateCallBack, null);
    }

    private static void awaitQuietly(java.util.concurrent.Future<?> write) {
        try {
            write.get(2 * IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // write() reports its own failures; the route goes on
        }
    }

    private static void notify(UpdateCallBack callBack, Throwable error) {
        if (callBack != null) {
            callBack.onUpdate(error);
        }
    }

    @Override
    public void setResumeStrategyConfiguration(ResumeStrategyConfiguration resumeStrategyConfiguration) {
        this.configuration = resumeStrategyConfiguration;
    }

    @Override
    public ResumeStrategyConfiguration getResumeStrategyConfiguration() {
        return configuration;
    }

    // ---- lifecycle ----

    /**
     * Each route using this strategy starts it (Camel's resume processor does, when its route starts) and stops it
     * (when its route stops): a strategy shared by several routes really starts with the first and stops with the
     * last. Stopping it for another route only writes what is pending.
     */
    @Override
    public void start() {
        users.incrementAndGet();
        super.start();
    }

    @Override
    public void stop() {
        if (users.updateAndGet(n -> Math.max(0, n - 1)) > 0 && isStarted()) {
            flush();
            return;
        }
        super.stop();
    }

    @Override
    protected void doStart() {
        if (checkpointRecordsThreshold <= 0 || checkpointInterval <= 0 || maxCount <= 0) {
            throw new IllegalArgumentException(
                    "EventStoreResumeStrategy: checkpointRecordsThreshold, checkpointInterval and"
                            + " maxCount must be greater than 0");
        }
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventstore-checkpoints");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(this::writeAll, checkpointInterval, checkpointInterval, TimeUnit.MILLISECONDS);
    }

    /** Writes what is pending, then stops. */
    @Override
    protected void doStop() throws Exception {
        if (writer != null) {
            writer.shutdown();
            writer.awaitTermination(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            writer = null;
        }
        writeAll();
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** Writes every pending checkpoint now (also used by tests and on stop). */
    public void flush() {
        if (writer != null) {
            try {
                writer.submit(this::writeAll).get(2 * IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Flushing checkpoints failed: {}", e.toString());
            }
        } else {
            writeAll();
        }
    }

    private void writeAll() {
        checkpoints.forEach(this::write);
    }

    private void write(String key, Checkpoint c) {
        SubscriptionPosition position;
        int covered;
        synchronized (c) {
            c.writeQueued = false;
            position = c.latest;
            if (position == null || position.equals(c.stored)) {
                finishWrite(c);
                return;
            }
            // counting restarts from what this write covers, whichever triggered it (count, interval or stop)
            c.updatesSinceWrite = 0;
            covered = c.updatesSinceStored;
            if (c.writing == null) {
                c.writing = new java.util.concurrent.CompletableFuture<>();
            }
        }
        try {
            EventStoreDBClient db = client();
            if (!c.metadataSet) {
                StreamMetadata metadata = new StreamMetadata();
                metadata.setMaxCount(maxCount);
                db.setStreamMetadata(c.stream, metadata).get(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                c.metadataSet = true;
            }
            byte[] json = ("{\"key\":\"" + jsonEscape(key) + "\",\"position\":\"" + position + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            db.appendToStream(
                            c.stream,
                            credentials(AppendToStreamOptions.get().expectedRevision(ExpectedRevision.any())),
                            EventDataBuilder.json(EVENT_TYPE, json).build())
                    .get(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            synchronized (c) {
                c.stored = position;
                c.updatesSinceStored -= covered;
            }
            if (failing) {
                failing = false;
                LOG.info("Checkpoint writes succeed again ('{}' at {})", key, position);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (!failing) {
                failing = true;
                LOG.warn(
                        "Writing checkpoint {} of '{}' to stream '{}' failed ({}); delivery goes on and the write is"
                                + " retried with the next one",
                        position,
                        key,
                        c.stream,
                        Clients.redact(cause.toString()));
            } else {
                LOG.debug("Checkpoint write still failing: {}", cause.toString());
            }
            if (cause instanceof com.eventstore.dbclient.ConnectionShutdownException) {
                dropConnection();
            }
        } finally {
            synchronized (c) {
                finishWrite(c);
            }
        }
    }

    /** Releases the completions waiting for the write under way (called holding {@code c}'s lock). */
    private static void finishWrite(Checkpoint c) {
        if (c.writing != null) {
            c.writing.complete(null);
            // a write queued meanwhile is the one to wait for next
            c.writing = c.writeQueued ? new java.util.concurrent.CompletableFuture<>() : null;
        }
    }

    private static String jsonEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The position stored for a key, if any has been written or loaded. */
    public SubscriptionPosition storedPosition(String key) {
        Checkpoint c = checkpoints.get(key);
        if (c == null) {
            return null;
        }
        synchronized (c) {
            return c.stored;
        }
    }

    private Checkpoint checkpoint(String key) {
        return checkpoints.computeIfAbsent(key, k -> new Checkpoint(streamFor(k)));
    }

    /** The stream holding a key's checkpoints. */
    public String streamFor(String key) {
        return checkpointStreamPrefix + key;
    }

    // ---- connection ----

    /**
     * Used by the consumer: the connection to use when this strategy has none of its own (the consumer's, since
     * the checkpoints live in the same database).
     */
    public synchronized void useConnectionIfUnset(String connectionString, EventStoreDBClient client) {
        this.fallbackConnectionString = connectionString;
        this.fallbackClient = client;
    }

    private synchronized EventStoreDBClient client() {
        if (connection == null) {
            if (client != null) {
                return client;
            }
            if (connectionString != null && !connectionString.isBlank()) {
                connection = Clients.create(connectionString);
            } else if (fallbackClient != null) {
                return fallbackClient;
            } else if (fallbackConnectionString != null) {
                connection = Clients.create(fallbackConnectionString);
            } else {
                throw new IllegalStateException("EventStoreResumeStrategy has no connection: set its"
                        + " connectionString or client, or use it with an eventstore: consumer");
            }
        }
        return connection.client();
    }

    private synchronized void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T credentials(T options) {
        if (username == null) {
            return options;
        }
        if (options instanceof ReadStreamOptions o) {
            return (T) o.authenticated(username, password);
        }
        return (T) ((AppendToStreamOptions) options).authenticated(username, password);
    }

    // ---- settings ----

    public String getConnectionString() {
        return connectionString;
    }

    /** The connection string of the database holding the checkpoints; the consumer's by default. */
    public void setConnectionString(String connectionString) {
        this.connectionString = connectionString;
    }

    public EventStoreDBClient getClient() {
        return client;
    }

    /** A client to use (never shut down by the strategy). */
    public void setClient(EventStoreDBClient client) {
        this.client = client;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getCheckpointStreamPrefix() {
        return checkpointStreamPrefix;
    }

    /** Prefix of the checkpoint streams, followed by the checkpoint key (default {@code camel-checkpoint-}). */
    public void setCheckpointStreamPrefix(String checkpointStreamPrefix) {
        this.checkpointStreamPrefix = checkpointStreamPrefix;
    }

    public long getMaxCount() {
        return maxCount;
    }

    /** How many checkpoint events each stream keeps ({@code $maxCount}, default 10). */
    public void setMaxCount(long maxCount) {
        this.maxCount = maxCount;
    }

    public int getCheckpointRecordsThreshold() {
        return checkpointRecordsThreshold;
    }

    /** Write after this many updates (default 1000). */
    public void setCheckpointRecordsThreshold(int checkpointRecordsThreshold) {
        this.checkpointRecordsThreshold = checkpointRecordsThreshold;
    }

    public long getCheckpointInterval() {
        return checkpointInterval;
    }

    /** Write pending updates at least this often, in milliseconds (default 5000). */
    public void setCheckpointInterval(long checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
    }
}
