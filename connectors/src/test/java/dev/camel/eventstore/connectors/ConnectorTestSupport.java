package dev.camel.eventstore.connectors;

import com.eventstore.dbclient.EventStoreDBClient;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the connector test classes share: a testkit server and a client of it for the tests of the class, and what a
 * test opened (contexts, receivers, log captures), closed after it, the newest first.
 */
abstract class ConnectorTestSupport {
    @RegisterExtension
    static final ServerWithClient EVENT_STORE = new ServerWithClient();

    private final List<AutoCloseable> openedByTheTest = new ArrayList<>();

    static EventStoreTestServer server() {
        return EVENT_STORE.server();
    }

    static EventStoreDBClient client() {
        return EVENT_STORE.client();
    }

    /** Closes {@code resource} once the test is over; returns it. */
    <T extends AutoCloseable> T closeAfterTest(T resource) {
        openedByTheTest.add(resource);
        return resource;
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        for (int i = openedByTheTest.size() - 1; i >= 0; i--) {
            openedByTheTest.get(i).close();
        }
    }
}
