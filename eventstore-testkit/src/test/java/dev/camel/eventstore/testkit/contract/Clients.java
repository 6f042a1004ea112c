package dev.camel.eventstore.testkit.contract;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.Subscription;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Clients, subscriptions and servers a test creates, all closed after it (call {@link #close()} from
 * {@code @AfterEach}). Subscriptions are stopped first: a client does not finish shutting down while one is open.
 */
final class Clients implements AutoCloseable {
    private final List<EventStoreDBClient> clients = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<EventStoreTestServer> servers = new CopyOnWriteArrayList<>();

    EventStoreDBClient connect(String connectionString) {
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
        clients.add(client);
        return client;
    }

    EventStoreTestServer start(EventStoreTestServer.Builder builder) {
        EventStoreTestServer server = builder.build();
        servers.add(server);
        return server.start();
    }

    /** Waits for a subscription to be confirmed and stops it after the test. */
    Subscription subscribed(CompletableFuture<Subscription> subscribing) {
        Subscription subscription = ContractSupport.result(subscribing);
        subscriptions.add(subscription);
        return subscription;
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::stop);
        subscriptions.clear();
        for (EventStoreDBClient client : clients) {
            try {
                client.shutdown().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a client whose connection already died may not answer; nothing more to clean up then
            }
        }
        clients.clear();
        servers.forEach(EventStoreTestServer::close);
        servers.clear();
    }
}
