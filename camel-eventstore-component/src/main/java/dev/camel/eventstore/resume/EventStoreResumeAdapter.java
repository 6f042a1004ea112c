package dev.camel.eventstore.resume;

import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.resume.Deserializable;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.spi.annotations.JdkService;

/**
 * The {@code eventstore:} consumer's resume adapter: it holds the position a resume strategy loaded for the
 * consumer's checkpoint key, from which the consumer then subscribes.
 *
 * <p>It is {@link Deserializable}, so strategies that store serialised offsets, such as camel-kafka's {@code
 * KafkaResumeStrategy}, can load it; offsets are the {@link SubscriptionPosition} text form as a {@code String}
 * (a {@code Long} revision or commit position is accepted too).
 */
@JdkService(EventStoreResumeAdapter.FACTORY)
public class EventStoreResumeAdapter implements ResumeAdapter, Deserializable {
    /** The factory name the consumer resolves its adapter by. */
    public static final String FACTORY = "eventstore-adapter-factory";

    /**
     * Suffix of the key under which {@link ResumeLoading} writes a marker through a strategy that loads in the
     * background, to learn when the loader has read everything written before it.
     */
    static final String MARKER_SUFFIX = "#loaded";

    private volatile String key;
    private volatile boolean all;
    private volatile ClientHandle connection;
    private volatile boolean loaded;
    private volatile SubscriptionPosition position;
    private volatile SubscriptionPosition checkpointPosition;
    private volatile Consumer<String> takenOverListener;
    private String awaitedMarker;
    private boolean awaitedMarkerRead;

    /** Tells the adapter which checkpoint it is for: the consumer's key, in {@code $all} or in a stream. */
    public void bind(String key, boolean all) {
        bind(key, all, null);
    }

    /**
     * Tells the adapter which checkpoint it is for, and the consumer's connection: a resume strategy that stores
     * its checkpoints in EventStoreDB and was given no connection of its own uses the same client, through handles of
     * its own ({@link ClientHandle#forCheckpoints()}), each closed after its call.
     */
    public void bind(String key, boolean all, ClientHandle connection) {
        this.key = key;
        this.all = all;
        this.connection = connection;
        this.loaded = false;
    }

    /** The connection bound with the key, or {@code null}. */
    ClientHandle getConnection() {
        return connection;
    }

    /** Whether the strategy still has to load the position of the bound key. */
    boolean needsLoad() {
        return key != null && !loaded;
    }

    /** The strategy loaded the key: {@code stored} is its position, or {@code null} when none is stored. */
    void loaded(SubscriptionPosition stored) {
        if (stored != null) {
            position = stored;
        }
        loaded = true;
    }

    /**
     * The last position an {@link EventStoreResumeStrategy} stored (or loaded) for the bound key; {@code null}
     * before, and always with other strategies.
     */
    public SubscriptionPosition getCheckpointPosition() {
        return checkpointPosition;
    }

    /**
     * Who to tell when another consumer claims the bound key's checkpoint: the consumer, which then stops. Set by
     * the consumer before it binds the key.
     */
    public void onTakenOver(Consumer<String> listener) {
        this.takenOverListener = listener;
    }

    /** Another consumer claimed the bound key's checkpoint; {@code reason} says how it was found. */
    void takenOver(String reason) {
        Consumer<String> listener = takenOverListener;
        if (listener != null) {
            listener.accept(reason);
        }
    }

    /** The strategy stored (or loaded) {@code stored} for the bound key. */
    void checkpointStored(SubscriptionPosition stored) {
        checkpointPosition = stored;
    }

    public String getKey() {
        return key;
    }

    public boolean isAll() {
        return all;
    }

    /** The loaded position, if the strategy found one for the key. */
    public Optional<SubscriptionPosition> getPosition() {
        return Optional.ofNullable(position);
    }

    /** Sets the loaded position from its stored form ({@code String} or {@code Long}). */
    public void setPosition(Object stored) {
        if (stored instanceof SubscriptionPosition p) {
            position = p;
        } else if (stored != null) {
            position = SubscriptionPosition.parse(stored.toString(), all);
        }
    }

    /** Nothing to do here: the consumer reads {@link #getPosition()} when it subscribes. */
    @Override
    public void resume() {
        // the position is consumed by the consumer, which owns the subscription
    }

    @Override
    public boolean deserialize(ByteBuffer keyBuffer, ByteBuffer valueBuffer) {
        Object storedKey = deserializeKey(keyBuffer);
        if (key != null && (key + MARKER_SUFFIX).equals(storedKey)) {
            markerRead(deserializeValue(valueBuffer));
            return true;
        }
        if (key == null || !key.equals(storedKey)) {
            return true;
        }
        Object value = deserializeValue(valueBuffer);
        if (value instanceof String || value instanceof Long) {
            setPosition(value);
        }
        return true;
    }

    /** Tells the adapter which marker {@link ResumeLoading} is about to write. */
    synchronized void expectMarker(String marker) {
        awaitedMarker = marker;
        awaitedMarkerRead = false;
    }

    /** Waits until the strategy's loader has handed over the expected marker; false on timeout. */
    synchronized boolean awaitMarker(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (long left = timeoutMillis; !awaitedMarkerRead && left > 0; left = deadline - System.currentTimeMillis()) {
            wait(left);
        }
        return awaitedMarkerRead;
    }

    private synchronized void markerRead(Object marker) {
        if (awaitedMarker != null && awaitedMarker.equals(marker)) {
            awaitedMarkerRead = true;
            notifyAll();
        }
    }
}
