package dev.camel.eventstore.reliability;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A testkit server for the tests of one class, and a client of it to read back what they wrote: registered as a
 * static {@code @RegisterExtension} field, started before the first test, closed after the last.
 */
final class ServerWithClient implements BeforeAllCallback, AfterAllCallback {
    private EventStoreTestServer server;
    private EventStoreDBClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EventStoreTestServer.startDefault();
        client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.shutdown().get(10, TimeUnit.SECONDS);
        server.close();
    }

    EventStoreTestServer server() {
        return server;
    }

    EventStoreDBClient client() {
        return client;
    }
}
