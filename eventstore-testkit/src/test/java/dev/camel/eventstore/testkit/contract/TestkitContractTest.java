package dev.camel.eventstore.testkit.contract;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract against the in-process testkit server: one server for the whole class, as a real one would be. */
class TestkitContractTest extends EventStoreContract {
    private static EventStoreTestServer server;

    @BeforeAll
    static void startServer() {
        server = EventStoreTestServer.startDefault();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected String connectionString() {
        return server.connectionString();
    }
}
