package dev.camel.eventstore.client;

import com.eventstore.dbclient.EventStoreDBClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client of one connection string and the number of handles using it ({@link SharedClients} counts them). The
 * client is created on first use; when it shut itself down after failing to reach the server, {@link #renew} drops it
 * once for all its users, and the next {@link #client()}, whoever calls it, creates a new one.
 */
final class SharedClient {
    private final String connectionString;
    private EventStoreDBClient client;
    /** Handles using it; changed by {@link SharedClients} only, under its lock. */
    int users;

    SharedClient(String connectionString) {
        this.connectionString = connectionString;
    }

    String connectionString() {
        return connectionString;
    }

    synchronized EventStoreDBClient client() {
        if (client == null) {
            client = Clients.create(connectionString);
        }
        return client;
    }

    synchronized EventStoreDBClient current() {
        return client;
    }

    /**
     * Drops {@code broken} if it is still the current client and shuts it down; a client already replaced is left
     * alone, so that every user of a client that failed may report it without dropping its successor.
     */
    void renew(EventStoreDBClient broken) {
        synchronized (this) {
            if (broken == null || broken != client) {
                return;
            }
            client = null;
        }
        shutdown(broken);
    }

    /** Takes the client away for good (its last user left): the caller shuts it down. */
    synchronized EventStoreDBClient takeAway() {
        EventStoreDBClient taken = client;
        client = null;
        return taken;
    }

    static void shutdown(EventStoreDBClient client) {
        if (client == null) {
            return;
        }
        // the last user may be a stopping consumer's thread, interrupted to end its waits: the client refuses to
        // queue its shutdown on an interrupted thread, which would leave its connection open. Such a thread only
        // starts the shutdown: waiting for it (the client waits for calls still open, up to seconds against a server
        // that does not answer) would hold the route's stop
        boolean interrupted = Thread.interrupted();
        try {
            CompletableFuture<Void> done = client.shutdown();
            if (!interrupted) {
                done.get(Timeouts.OPERATION.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // the client is going away either way; nothing useful to report
            interrupted |= e instanceof InterruptedException;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
