package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the consumer tests with a testkit server of their own share: for each test a {@link #server} (with the seeded
 * system events, unless the test is marked {@link WithoutSystemEvents}) and a {@link #context} not yet started,
 * closed after the test (the context first, as the consumers need the server until they stop); endpoints on the
 * server, recording routes and a client of it.
 */
abstract class ConsumerServerTestSupport {
    /** How long a test waits for what it expects. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The test's server holds no seeded system events: $all holds only what the test appends. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface WithoutSystemEvents {}

    @RegisterExtension
    final RouteFixture routes = new RouteFixture();

    EventStoreTestServer server;

    /** The test's context; the test adds its routes, then starts it. */
    CamelContext context;

    @BeforeEach
    void startServer(TestInfo test) {
        boolean seeded = !test.getTestMethod().orElseThrow().isAnnotationPresent(WithoutSystemEvents.class);
        server = routes.server(serverBuilder().seedSystemEvents(seeded));
        context = routes.add(new DefaultCamelContext());
    }

    /** The server a test of the class starts with; a class that wants users, for example, adds them. */
    EventStoreTestServer.Builder serverBuilder() {
        return EventStoreTestServer.builder();
    }

    /** A consumer endpoint on the test's server: {@code target} with the options (each {@code name=value}). */
    String uri(String target, String... options) {
        StringBuilder uri = new StringBuilder("eventstore:").append(target).append('?');
        for (String option : options) {
            uri.append(option).append('&');
        }
        return uri.append("connectionString=RAW(")
                .append(server.connectionString())
                .append(')')
                .toString();
    }

    /** Appends the numbered events {@code from} to {@code from + count - 1} to the stream. */
    void append(String stream, int from, int count) {
        TestEvents.append(server, stream, TestEvents.TYPE, from, count);
    }

    /** Adds a route from the URI to a new recorder, which it returns; the context is started later. */
    Recorder recording(String uri, String routeId) throws Exception {
        return ConsumerFaultSupport.recording(context, uri, routeId);
    }

    /** Adds a route from the URI to a new recorder, which it returns, and starts the context. */
    Recorder startRecording(String uri, String routeId) throws Exception {
        Recorder recorder = recording(uri, routeId);
        context.start();
        return recorder;
    }

    /** Waits until the recorder holds at least that many exchanges. */
    static void awaitSize(Recorder recorder, int count) {
        await().atMost(WAIT).until(() -> recorder.size() >= count);
    }

    EventStoreConsumer consumer(String routeId) {
        return ConsumerFaultSupport.consumer(context, routeId);
    }

    /** Waits until the route's consumer has processed everything up to {@code expected}. */
    void awaitProcessed(String routeId, SubscriptionPosition expected) {
        EventStoreConsumer consumer = consumer(routeId);
        await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.getProcessedPosition())
                .as("processed position of %s", routeId)
                .isEqualTo(expected));
    }

    /** The position of the newest event in the server's log, as a consumer of $all reports it. */
    SubscriptionPosition lastPosition() {
        return SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition());
    }

    /** A client of the server for what the test writes or reads itself, shut down after the test. */
    EventStoreDBClient client() {
        EventStoreDBClient client = ConsumerFaultSupport.client(server);
        routes.add(() -> client.shutdown().get(10, TimeUnit.SECONDS));
        return client;
    }
}
