package dev.camel.eventstore;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One testkit server for all the tests of a class, each test on streams of its own; started before the class and
 * closed after it. Registered as a static {@code @RegisterExtension} field, also of a base class: each test class
 * that inherits the field gets a server of its own in turn.
 */
final class SharedServer implements BeforeAllCallback, AfterAllCallback {
    private final AtomicInteger streams = new AtomicInteger();
    private final String prefix;
    private volatile EventStoreTestServer server;

    SharedServer(String prefix) {
        this.prefix = prefix;
    }

    EventStoreTestServer server() {
        EventStoreTestServer started = server;
        if (started == null) {
            throw new IllegalStateException("no server outside the tests of a class");
        }
        return started;
    }

    /** A stream name no other test of the class uses. */
    String newStream(String name) {
        return prefix + "-" + name + "-" + streams.incrementAndGet();
    }

    /** A new stream ({@link #newStream}) holding the numbered events 0 to {@code count} - 1. */
    String streamWith(String name, int count) {
        String stream = newStream(name);
        TestEvents.append(server(), stream, TestEvents.TYPE, 0, count);
        return stream;
    }

    /** A consumer endpoint on the server with the given options. */
    String uri(String stream, String options) {
        return "eventstore:" + stream + "?connectionString=" + server().connectionString() + "&" + options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EventStoreTestServer.startDefault();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EventStoreTestServer started = server;
        server = null;
        if (started != null) {
            started.close();
        }
    }
}
