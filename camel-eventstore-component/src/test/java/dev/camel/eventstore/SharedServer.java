package dev.camel.eventstore;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One testkit server for all the tests of a class, each test on streams of its own; closed after the class.
 * Registered as a static {@code @RegisterExtension} field.
 */
final class SharedServer implements AfterAllCallback {
    private final EventStoreTestServer server = EventStoreTestServer.startDefault();
    private final AtomicInteger streams = new AtomicInteger();
    private final String prefix;

    SharedServer(String prefix) {
        this.prefix = prefix;
    }

    EventStoreTestServer server() {
        return server;
    }

    /** A stream name no other test of the class uses. */
    String newStream(String name) {
        return prefix + "-" + name + "-" + streams.incrementAndGet();
    }

    /** A new stream ({@link #newStream}) holding the numbered events 0 to {@code count} - 1. */
    String streamWith(String name, int count) {
        String stream = newStream(name);
        TestEvents.append(server, stream, TestEvents.TYPE, 0, count);
        return stream;
    }

    /** A consumer endpoint on the server with the given options. */
    String uri(String stream, String options) {
        return "eventstore:" + stream + "?connectionString=" + server.connectionString() + "&" + options;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }
}
