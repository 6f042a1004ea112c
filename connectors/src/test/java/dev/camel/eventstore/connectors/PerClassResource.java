package dev.camel.eventstore.connectors;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server or broker for the tests of one class: registered as a static {@code @RegisterExtension} field, started
 * before the first test, closed after the last. In this module's test jar, for other modules' tests too.
 *
 * @param <T> what is started, such as a testkit server or Kafka broker
 */
public class PerClassResource<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<T> start;
    private T resource;

    public PerClassResource(Supplier<T> start) {
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        resource = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (resource != null) {
            resource.close();
            resource = null;
        }
    }

    /** The resource, while the tests of the class run. */
    public T get() {
        return resource;
    }
}
