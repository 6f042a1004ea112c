package dev.camel.eventstore.client;

import com.eventstore.dbclient.EventStoreDBClient;
import java.util.concurrent.TimeUnit;

/**
 * The client of one consumer, producer or checkpoint store: a configured client, used as it is and never shut down
 * here, or one created from a connection string on first use, which this handle owns and shuts down.
 *
 * <p>The 5.4.5 client shuts itself down for good after failing to reach the server; {@link #renewAfter} then
 * drops it, and the next {@link #client()} creates a new one. A configured client cannot be re-created.
 */
public final class ClientHandle implements AutoCloseable {
    private final String connectionString;
    private final EventStoreDBClient given;
    private EventStoreDBClient created;

    private ClientHandle(String connectionString, EventStoreDBClient given) {
        this.connectionString = connectionString;
        this.given = given;
    }

    /**
     * A handle on {@code given} when set, else on clients created from {@code connectionString}.
     *
     * @throws IllegalArgumentException when neither is set, or the connection string is malformed (without its
     *     credentials in the message)
     */
    public static ClientHandle of(String connectionString, EventStoreDBClient given) {
        if (given == null) {
            Clients.parse(connectionString);
        }
        return new ClientHandle(connectionString, given);
    }

    /** The client, created now if this handle has none. */
    public synchronized EventStoreDBClient client() {
        if (given != null) {
            return given;
        }
        if (created == null) {
            created = Clients.create(connectionString);
        }
        return created;
    }

    /** The client if one is connected or configured; {@code null} while none has been created. */
    public synchronized EventStoreDBClient current() {
        return given != null ? given : created;
    }

    /** Whether the client can be created again after it shut itself down (it was not configured as is). */
    public boolean renewable() {
        return given == null;
    }

    /** The connection string clients are created from; {@code null} for a configured client. */
    public String connectionString() {
        return given == null ? connectionString : null;
    }

    /**
     * Drops {@code broken} when {@code failure} says it shut itself down, so that the next {@link #client()} creates
     * a new one.
     *
     * @return whether the failure was a client shutdown
     */
    public boolean renewAfter(EventStoreDBClient broken, Throwable failure) {
        if (!ClientFailures.isClientShutdown(failure)) {
            return false;
        }
        drop(broken);
        return true;
    }

    /** Shuts {@code broken} down if it is this handle's current, owned client; the next call creates a new one. */
    public void drop(EventStoreDBClient broken) {
        EventStoreDBClient dropped;
        synchronized (this) {
            if (broken == null || broken != created) {
                return;
            }
            dropped = created;
            created = null;
        }
        shutdown(dropped);
    }

    /** Shuts the owned client down, if any; a later {@link #client()} creates a new one. */
    @Override
    public void close() {
        EventStoreDBClient closing;
        synchronized (this) {
            closing = created;
            created = null;
        }
        shutdown(closing);
    }

    private static void shutdown(EventStoreDBClient client) {
        if (client == null) {
            return;
        }
        try {
            client.shutdown().get(Timeouts.OPERATION.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the client is going away either way; nothing useful to report
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
