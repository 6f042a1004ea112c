package dev.camel.eventstore.resume;

import com.eventstore.dbclient.EventStoreDBClient;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.client.ConnectionSettings;
import dev.camel.eventstore.client.SharedClients;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.resume.Offset;
import org.apache.camel.resume.OffsetKey;
import org.apache.camel.resume.Resumable;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.spi.annotations.JdkService;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.ObjectHelper;

/**
 * A resume strategy that stores each consumer's position in a stream of the same EventStoreDB: {@code
 * <checkpointStreamPrefix><checkpoint key>}, one small JSON event per checkpoint, the older ones truncated by the
 * stream's {@code $maxCount}.
 *
 * <p>It writes at most every {@link #setCheckpointRecordsThreshold checkpointRecordsThreshold} updates or every
 * {@link #setCheckpointInterval checkpointInterval} ms, whichever comes first, and on stop. Writes run one at a time
 * on threads every strategy of the CamelContext shares (a bounded pool of its {@code ExecutorServiceManager}), through
 * the client the context shares for the connection string; while the database answers, the route waits for a write
 * triggered by the count, so a crash repeats at most {@code checkpointRecordsThreshold} events. While writes fail,
 * they are retried in the background and delivery goes on unhindered. The stored position only ever moves forward.
 * Use it with {@code from("eventstore:...").resumable("checkpoints")} and a bean of this class named {@code
 * checkpoints}, or through its service name {@value #SERVICE} in a resume strategy configuration.
 *
 * <p>Loading a consumer's position claims its checkpoint stream, and each later write expects the revision the
 * previous one left: when another consumer (a replica elected after this one) has claimed the stream since, the
 * write is refused and the consumer stops, so a deposed replica never moves the checkpoint.
 *
 * <p>Without a connection string or client of its own it uses the connection of the {@code eventstore:} consumers
 * whose adapters are bound to it. One strategy may serve several routes: stopping it for one route writes what is
 * pending, and the writing goes on for the others until the CamelContext stops.
 */
@JdkService(EventStoreResumeStrategy.SERVICE)
public class EventStoreResumeStrategy extends ServiceSupport implements ResumeStrategy, CamelContextAware {
    /** The service name this strategy is registered under (META-INF/services/org/apache/camel). */
    public static final String SERVICE = "eventstore-resume-strategy";
    /** The default of {@code checkpointStreamPrefix}: stream {@code camel-checkpoint-<key>}. */
    public static final String DEFAULT_CHECKPOINT_STREAM_PREFIX = "camel-checkpoint-";
    /** The default of {@code checkpointRecordsThreshold}: EventStoreDB connectors' autocommit:recordsThreshold. */
    public static final int DEFAULT_CHECKPOINT_RECORDS_THRESHOLD = 1000;
    /** The default of {@code checkpointInterval} in milliseconds: EventStoreDB connectors' autocommit:interval. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL = 5000;

    private final ConnectionSettings connectionSettings = new ConnectionSettings();
    private String checkpointStreamPrefix = DEFAULT_CHECKPOINT_STREAM_PREFIX;
    private long maxCount = 10;
    private int checkpointRecordsThreshold = DEFAULT_CHECKPOINT_RECORDS_THRESHOLD;
    private long checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;

    private CamelContext camelContext;
    private final Set<ResumeAdapter> adapters = ConcurrentHashMap.newKeySet();
    private volatile ResumeAdapter adapter;
    private ResumeStrategyConfiguration configuration = new Configuration();
    private volatile CheckpointWriter writer;
    private ClientHandle ownConnection;

    private static final class Configuration extends ResumeStrategyConfiguration {
        Configuration() {
            setResumeCache(new NoResumeCache());
        }

        @Override
        public String resumeStrategyService() {
            return SERVICE;
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

    /** Loads the stored position of every bound {@code eventstore:} adapter not loaded since it was bound. */
    @Override
    public void loadCache() throws Exception {
        CheckpointWriter w = requireStarted();
        for (ResumeAdapter each : adapters) {
            if (each instanceof EventStoreResumeAdapter a && a.needsLoad()) {
                a.loaded(w.load(a.getKey(), a.isAll()));
            }
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
        CheckpointWriter w = writer;
        if (w != null) {
            w.update(key, position);
        }
        if (updateCallBack != null) {
            updateCallBack.onUpdate(null);
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

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    // ---- lifecycle ----

    /** Starts the writer as a service of the CamelContext, unless it already runs there for another route. */
    @Override
    protected synchronized void doStart() throws Exception {
        if (checkpointRecordsThreshold <= 0 || checkpointInterval <= 0 || maxCount <= 0) {
            throw new IllegalArgumentException(
                    "EventStoreResumeStrategy: checkpointRecordsThreshold, checkpointInterval and"
                            + " maxCount must be greater than 0");
        }
        ObjectHelper.notNull(camelContext, "camelContext", this);
        // the shared clients and threads go into the context before the writer, so that the context stops them
        // after it: the writer's last checkpoints still have a client
        SharedClients.of(camelContext);
        CheckpointThreads.of(camelContext);
        CheckpointWriter w = writer;
        if (w == null || w.getCamelContext() != camelContext || !w.isStarted()) {
            CheckpointStore store = new CheckpointStore(
                    this::ownConnection, this::boundConnection, connectionSettings.credentials(), maxCount);
            w = new CheckpointWriter(
                    camelContext,
                    store,
                    this::streamFor,
                    checkpointRecordsThreshold,
                    checkpointInterval,
                    new AdapterUpdates());
            camelContext.addService(w, true, true);
            writer = w;
        }
    }

    /** Writes what is pending; the writer goes on for other routes until the CamelContext stops it. */
    @Override
    protected void doStop() {
        flush();
    }

    /** Writes every pending checkpoint now. */
    public void flush() {
        CheckpointWriter w = writer;
        if (w != null) {
            w.flush();
        }
    }

    /** The position stored for a key, if any has been written or loaded. */
    public SubscriptionPosition storedPosition(String key) {
        CheckpointWriter w = writer;
        return w == null ? null : w.stored(key);
    }

    /** The stream holding a key's checkpoints. */
    public String streamFor(String key) {
        return checkpointStreamPrefix + key;
    }

    private CheckpointWriter requireStarted() {
        CheckpointWriter w = writer;
        if (w == null) {
            throw new IllegalStateException("EventStoreResumeStrategy is not started");
        }
        return w;
    }

    /** Tells the adapters bound to a key what happens to its checkpoint. */
    private final class AdapterUpdates implements CheckpointWriter.Listener {
        @Override
        public void stored(String key, SubscriptionPosition position) {
            boundTo(key, a -> a.checkpointStored(position));
        }

        @Override
        public void takenOver(String key, String reason) {
            boundTo(key, a -> a.takenOver(reason));
        }

        private void boundTo(String key, java.util.function.Consumer<EventStoreResumeAdapter> action) {
            for (ResumeAdapter each : adapters) {
                if (each instanceof EventStoreResumeAdapter a && key.equals(a.getKey())) {
                    action.accept(a);
                }
            }
        }
    }

    /** Its own connection, on the context's checkpoint client of its connection string; {@code null} without one. */
    private synchronized ClientHandle ownConnection() {
        if (ownConnection == null && connectionSettings.hasConnection()) {
            ownConnection = connectionSettings.handle(camelContext).forCheckpoints();
        }
        return ownConnection;
    }

    /** That of a bound consumer, when it has none of its own (checkpoints live in the same database). */
    private ClientHandle boundConnection() {
        for (ResumeAdapter each : adapters) {
            if (each instanceof EventStoreResumeAdapter a && a.getConnection() != null) {
                return a.getConnection();
            }
        }
        throw new IllegalStateException("EventStoreResumeStrategy has no connection: set its"
                + " connectionString or client, or use it with an eventstore: consumer");
    }

    // ---- settings ----

    public String getConnectionString() {
        return connectionSettings.getConnectionString();
    }

    /** The connection string of the database holding the checkpoints; the consumer's by default. */
    public synchronized void setConnectionString(String connectionString) {
        connectionSettings.setConnectionString(connectionString);
        this.ownConnection = null;
    }

    public EventStoreDBClient getClient() {
        return connectionSettings.getClient();
    }

    /** A client to use (never shut down by the strategy). */
    public synchronized void setClient(EventStoreDBClient client) {
        connectionSettings.setClient(client);
        this.ownConnection = null;
    }

    public String getUsername() {
        return connectionSettings.getUsername();
    }

    /** User name for the checkpoint calls (overrides the connection string's). */
    public void setUsername(String username) {
        connectionSettings.setUsername(username);
    }

    public String getPassword() {
        return connectionSettings.getPassword();
    }

    /** Password for the checkpoint calls. */
    public void setPassword(String password) {
        connectionSettings.setPassword(password);
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
