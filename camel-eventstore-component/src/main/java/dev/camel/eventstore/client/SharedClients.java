package dev.camel.eventstore.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The clients a CamelContext creates from connection strings: one per connection string, shared by every consumer,
 * producer and checkpoint store of the context that uses that exact string (gRPC multiplexes their calls and
 * subscriptions over the client's one connection). Reference counted by {@link ClientHandle}s: a handle counts from
 * its first call until it is closed, and the last one to close shuts the client down.
 *
 * <p>The checkpoint stores of the context share a second client per connection string ({@link
 * ClientHandle#forCheckpoints()}), so that a failed checkpoint write never ends the routes' subscriptions.
 *
 * <p>What is shared is the client, its connection and its connection loop thread; credentials are not: the
 * connection string's are part of the key, so two strings with different users get two clients, and the {@code
 * username}/{@code password} options are sent with each call. A client given as the {@code client} option is never
 * here: it stays the application's.
 *
 * <p>A service of the CamelContext, added before the routes' consumers and checkpoint writers use it, so that the
 * context stops it after them; stopping shuts down whatever a user failed to release.
 */
public final class SharedClients extends ServiceSupport {
    /** Marks the key of the checkpoint stores' client (no connection string starts with a NUL). */
    private static final String CHECKPOINTS = "\u0000checkpoints:";

    private final Map<String, SharedClient> clients = new HashMap<>();

    private SharedClients() {}

    /** The context's registry, added to it as a service on first use. */
    public static SharedClients of(CamelContext context) {
        return ContextServices.of(context, SharedClients.class, SharedClients::new);
    }

    /** One more user of the client of {@code connectionString}: the checkpoint stores' one, or the routes'. */
    synchronized SharedClient acquire(String connectionString, boolean checkpoints) {
        SharedClient shared = clients.computeIfAbsent(
                (checkpoints ? CHECKPOINTS : "") + connectionString, k -> new SharedClient(connectionString));
        shared.users++;
        return shared;
    }

    /** One user less; the last one's release shuts the client down. */
    void release(SharedClient shared) {
        synchronized (this) {
            if (--shared.users > 0) {
                return;
            }
            clients.values().remove(shared);
        }
        SharedClient.shutdown(shared.takeAway());
    }

    /** How many handles use the client of {@code shared}'s connection string now. */
    synchronized int users(SharedClient shared) {
        return shared.users;
    }

    /** Connection strings with a client in use: for tests and diagnostics. */
    synchronized int size() {
        return clients.size();
    }

    @Override
    protected void doStop() {
        List<SharedClient> left;
        synchronized (this) {
            left = new ArrayList<>(clients.values());
            clients.clear();
        }
        left.forEach(shared -> SharedClient.shutdown(shared.takeAway()));
    }
}
