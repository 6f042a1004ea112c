package dev.camel.eventstore;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a consumer test starts (servers, Camel contexts, executors, releases of held exchanges), closed after each
 * test in reverse order: what was added last, for example the release of a gate a route waits at, goes first, so a
 * failed test leaves nothing held or running. Registered with {@code @RegisterExtension}.
 */
class RouteFixture implements AfterEachCallback {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Closed after the test, before everything added earlier. */
    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    EventStoreTestServer server(EventStoreTestServer.Builder builder) {
        return add(builder.build().start());
    }

    EventStoreTestServer server() {
        return server(EventStoreTestServer.builder());
    }

    /** A context with the routes and the beans bound, started. */
    CamelContext start(RouteBuilder routes, Map<String, Object> beans) throws Exception {
        CamelContext context = new DefaultCamelContext();
        beans.forEach(context.getRegistry()::bind);
        context.addRoutes(routes);
        add(context::stop);
        context.start();
        return context;
    }

    CamelContext start(RouteBuilder routes) throws Exception {
        return start(routes, Map.of());
    }

    /** A context with a route {@code routeId} from the URI through the step, started. */
    CamelContext startThrough(String uri, String routeId, Processor step) throws Exception {
        return start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(step);
            }
        });
    }

    /** A scheduler for what a route step completes later; shut down after the test, after the routes added later. */
    ScheduledExecutorService scheduler(int threads) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(threads);
        add(scheduler::shutdownNow);
        return scheduler;
    }

    @Override
    public void afterEach(ExtensionContext extension) throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
    }
}
