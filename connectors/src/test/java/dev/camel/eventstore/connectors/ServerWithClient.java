package dev.camel.eventstore.connectors;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.RecordedEvent;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.support.StreamReads;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A testkit server for the tests of one class, and a client of it to write and read back with: registered as a
 * static {@code @RegisterExtension} field, started before the first test, closed after the last. In this module's
 * test jar, for the reliability suite and the application's tests too.
 */
public final class ServerWithClient extends PerClassResource<EventStoreTestServer> {
    private EventStoreDBClient client;

    /** A server with the testkit's defaults. */
    public ServerWithClient() {
        this(EventStoreTestServer::startDefault);
    }

    /** The server {@code start} starts. */
    public ServerWithClient(Supplier<EventStoreTestServer> start) {
        super(start);
    }

    /** A server that requires credentials, with the client's connection string holding them. */
    public static ServerWithClient withUser(String username, String password) {
        return new ServerWithClient(() ->
                EventStoreTestServer.builder().user(username, password).build().start());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        super.beforeAll(context);
        client = StreamReads.client(server());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.shutdown().get(10, TimeUnit.SECONDS);
            client = null;
        }
        super.afterAll(context);
    }

    public EventStoreTestServer server() {
        return get();
    }

    public EventStoreDBClient client() {
        return client;
    }

    /** The events of a stream, first to last. */
    public List<RecordedEvent> read(String stream) throws Exception {
        return StreamReads.events(client, stream);
    }
}
