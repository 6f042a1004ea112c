package dev.camel.eventstore.client;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadStreamOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client of one consumer, producer or checkpoint store: a configured client, used as it is and never shut down
 * here, or the client of a connection string. In a CamelContext that client is the context's one for that exact
 * string ({@link SharedClients}), which this handle uses from its first call until {@link #close()}; without a
 * context the handle has a client of its own.
 *
 * <p>Renewal is done once for all users: the 5.4.5 client shuts itself down for good after failing to reach the
 * server; {@link #renewAfter} then drops it for every handle sharing it, and the next {@link #client()} of any of them
 * creates a new one. A handle never shuts down a client that others still use because of a problem of its own: after
 * a call of its own timed out, {@link #renewIfUnanswering} first asks whether the client still answers.
 */
public final class ClientHandle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandle.class);
    /** A stream nobody writes: reading it gets an answer (not found, or refused) from any server that answers. */
    private static final String PROBE_STREAM = "$camel-eventstore-probe";

    private final String connectionString;
    private final EventStoreDBClient given;
    /** Where shared clients come from; {@code null} for a handle with a client of its own. */
    private final SharedClients registry;
    /** Whether it is a checkpoint store's: those share a client of their own per connection string. */
    private final boolean checkpoints;
    /** The client this handle uses, from its first call until it is closed. */
    private SharedClient shared;

    private ClientHandle(
            String connectionString, EventStoreDBClient given, SharedClients registry, boolean checkpoints) {
        this.connectionString = connectionString;
        this.given = given;
        this.registry = registry;
        this.checkpoints = checkpoints;
    }

    /**
     * A handle on {@code given} when set, else on a client of its own created from {@code connectionString}.
     *
     * @throws IllegalArgumentException when neither is set, or the connection string is malformed (without its
     *     credentials in the message)
     */
    public static ClientHandle of(String connectionString, EventStoreDBClient given) {
        return of(connectionString, given, null);
    }

    /**
     * A handle on {@code given} when set, else on the client {@code registry} shares for {@code connectionString}
     * ({@code null}: a client of its own).
     *
     * @throws IllegalArgumentException as {@link #of(String, EventStoreDBClient)}
     */
    static ClientHandle of(String connectionString, EventStoreDBClient given, SharedClients registry) {
        if (given == null) {
            Clients.parse(connectionString);
        }
        return new ClientHandle(
                given == null ? connectionString.trim() : null, given, given == null ? registry : null, false);
    }

    /**
     * Another user of the same client: a handle counted on its own, so that closing it never takes the client from
     * under this one.
     */
    public ClientHandle another() {
        return new ClientHandle(connectionString, given, registry, checkpoints);
    }

    /**
     * A handle for a checkpoint store, counted on its own, on the client the context shares among checkpoint stores
     * for this connection string (a configured client: that one). Checkpoints do not share the subscriptions' client:
     * the 5.4.5 client reconnects when a call fails with UNAVAILABLE, which closes its channel and every subscription
     * on it, and a checkpoint write refused that way must not take the routes' subscriptions down with it.
     */
    public ClientHandle forCheckpoints() {
        return new ClientHandle(connectionString, given, registry, true);
    }

    /** The client, created now if there is none. */
    public EventStoreDBClient client() {
        return given != null ? given : use().client();
    }

    /** The client if one is connected or configured; {@code null} while none has been created. */
    public synchronized EventStoreDBClient current() {
        return given != null ? given : shared == null ? null : shared.current();
    }

    /** Whether the client can be created again after it shut itself down (it was not configured as is). */
    public boolean renewable() {
        return given == null;
    }

    /** The connection string clients are created from; {@code null} for a configured client. */
    public String connectionString() {
        return connectionString;
    }

    /**
     * Drops {@code broken}, for every handle sharing it, when {@code failure} says it shut itself down, so that the
     * next {@link #client()} creates a new one. A client another user already replaced is left alone.
     *
     * @return whether the failure was a client shutdown
     */
    public boolean renewAfter(EventStoreDBClient broken, Throwable failure) {
        if (!ClientFailures.isClientShutdown(failure)) {
            return false;
        }
        SharedClient s = using();
        if (s != null) {
            s.renew(broken);
        }
        return true;
    }

    /**
     * After a call on {@code broken} timed out: drops it (the next {@link #client()} creates a new one) if it serves
     * only this handle, or if it does not answer a short read either; a client that answers others is kept, as
     * renewing it would end every other user's subscriptions for one slow call.
     */
    public void renewIfUnanswering(EventStoreDBClient broken) {
        SharedClient s = using();
        if (s == null || broken == null) {
            return;
        }
        if (registry != null && registry.users(s) > 1 && answers(broken)) {
            LOG.debug("A call timed out on a client shared by other users, which still answers: kept");
            return;
        }
        s.renew(broken);
    }

    /** This handle no longer uses the client; the last user's close shuts it down. A later call uses one again. */
    @Override
    public void close() {
        SharedClient s;
        synchronized (this) {
            s = shared;
            shared = null;
        }
        if (s == null) {
            return;
        }
        if (registry != null) {
            registry.release(s);
        } else {
            SharedClient.shutdown(s.takeAway());
        }
    }

    private synchronized SharedClient use() {
        if (shared == null) {
            shared = registry == null
                    ? new SharedClient(connectionString)
                    : registry.acquire(connectionString, checkpoints);
        }
        return shared;
    }

    private synchronized SharedClient using() {
        return given != null ? null : shared;
    }

    /** Whether the client gets any answer from the server within {@link Timeouts#PROBE}: even a refusal is one. */
    private static boolean answers(EventStoreDBClient client) {
        try {
            client.readStream(PROBE_STREAM, ReadStreamOptions.get().maxCount(1))
                    .get(Timeouts.PROBE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            Throwable f = ClientFailures.unwrap(e);
            if (ClientFailures.isClientShutdown(f)) {
                return false;
            }
            return !(f instanceof StatusRuntimeException s
                    && (s.getStatus().getCode() == Status.Code.UNAVAILABLE
                            || s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
