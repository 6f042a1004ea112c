package dev.camel.eventstore.examples.support;

import ch.qos.logback.classic.Level;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.support.LogCapture;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of an example runs it with, for each test: a testkit EventStoreDB server, a reader of it, and what the
 * example logs where it writes its output. Registered as a {@code @RegisterExtension} field: set up before the test's
 * {@code @BeforeEach} methods, closed after its {@code @AfterEach} methods.
 */
public final class ExampleHarness implements BeforeEachCallback, AfterEachCallback {
    private final String logger;
    private EventStoreTestServer server;
    private EventStoreReader reader;
    private LogCapture log;

    /** @param logger the logger the example writes its output to (its children included) */
    public ExampleHarness(String logger) {
        this.logger = logger;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = EventStoreTestServer.startDefault();
        reader = new EventStoreReader(server.connectionString());
        log = new LogCapture(logger);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            log.close();
            reader.close();
        } finally {
            server.close();
        }
    }

    public EventStoreTestServer server() {
        return server;
    }

    public String connectionString() {
        return server.connectionString();
    }

    public EventStoreReader reader() {
        return reader;
    }

    /** What the example logged so far at INFO and above: {@code LEVEL logger: message}. */
    public List<String> logged() {
        return log.lines(event -> event.getLevel().isGreaterOrEqual(Level.INFO));
    }
}
