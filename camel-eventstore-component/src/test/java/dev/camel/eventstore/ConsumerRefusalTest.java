package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static dev.camel.eventstore.ResilienceFixture.FAST;
import static dev.camel.eventstore.ResilienceFixture.ROUTE;
import static dev.camel.eventstore.ResilienceFixture.appendOrders;
import static dev.camel.eventstore.ResilienceFixture.state;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.eventstore.dbclient.EventStoreDBClient;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.ResilienceFixture.Live;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What retrying cannot fix stops the route at once with a message naming the cause, instead of reconnecting: wrong
 * or missing credentials, at the start or while live, and a tombstoned stream.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerRefusalTest {
    @RegisterExtension
    final ResilienceFixture routes = new ResilienceFixture();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "password in the connection string, admin, wrong, , start, UNAUTHENTICATED",
        "password as endpoint options, , , admin:wrong, start, UNAUTHENTICATED",
        "first call reads the head of the log, admin, wrong, , end, UNAUTHENTICATED",
        "no credentials, , , , start, PERMISSION_DENIED"
    })
    void refusedCredentialsStopTheRouteAtOnceNamingTheCause(
            String name, String user, String password, String options, String initialPosition, String code)
            throws Exception {
        EventStoreTestServer server =
                routes.server(EventStoreTestServer.builder().user("admin", "changeit"));
        appendOrders(server, 0, 10);
        Sink sink = new Sink();
        String uri = "eventstore:$all?connectionString=" + server.connectionString(user, password) + "&initialPosition="
                + initialPosition + "&" + FAST
                + (options == null ? "" : "&username=admin&password=" + options.substring(options.indexOf(':') + 1));

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(uri, null, sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR))
                    .singleElement()
                    .satisfies(m -> assertThat(m).contains(code).doesNotContain("wrong"));
            logs.assertNone(Level.WARN, "lost");
            HealthCheck.Result result = health(context, ROUTE);
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage())
                    .hasValueSatisfying(m -> assertThat(m).contains(code));
            assertThat(result.getDetails()).containsEntry("state", "FAILED");
            assertThat(sink.received).isEmpty();
        }
    }

    @Test
    void credentialsRefusedWhileLiveStopTheRouteInsteadOfReconnecting() throws Exception {
        Live live = routes.startLiveOnOrders(10);
        CamelContext context = live.context();

        // e.g. the user's password was changed on the server
        live.server().dropSubscriptions(Status.UNAUTHENTICATED.withDescription("Unauthenticated"));

        await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
        assertThat(live.logs().messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                .contains("UNAUTHENTICATED"));
        live.logs().assertNone(Level.WARN, "lost");
        assertThat(health(context, ROUTE).getMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("UNAUTHENTICATED"));
    }

    @Test
    void aStreamTombstonedWhileSubscribedStopsTheRouteNamingTheDeletion() throws Exception {
        EventStoreTestServer server = routes.serverWith("doomed", 10);
        Sink sink = new Sink();
        List<String> otherTypes = new CopyOnWriteArrayList<>();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("eventstore:doomed?connectionString=" + server.connectionString() + "&" + FAST)
                            .routeId(ROUTE)
                            .choice()
                            .when(header(EventStoreConstants.EVENT_TYPE).isEqualTo(TYPE))
                            .process(sink::add)
                            .otherwise()
                            .process(e -> otherTypes.add(
                                    e.getMessage().getHeader(EventStoreConstants.EVENT_TYPE, String.class)));
                }
            });
            await().until(() -> sink.size() == 10 && state(context).equals("LIVE"));

            tombstone(server, "doomed");

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR))
                    .singleElement()
                    .satisfies(m -> assertThat(m).contains("deleted").contains("doomed"));
            assertThat(health(context, ROUTE).getMessage())
                    .hasValueSatisfying(m -> assertThat(m).contains("deleted"));
            sink.assertExactlyOnceInOrder(10);
            // the real server sends the tombstone record to live subscribers before the error
            assertThat(otherTypes).isSubsetOf("$streamDeleted");
        }
    }

    @Test
    void subscribingToAnAlreadyTombstonedStreamStopsTheRoute() throws Exception {
        EventStoreTestServer server = routes.serverWith("gone", 3);
        tombstone(server, "gone");
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(
                    "eventstore:gone?connectionString=" + server.connectionString() + "&" + FAST, null, sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("deleted"));
            logs.assertNone(Level.WARN, "lost");
            assertThat(sink.received).isEmpty();
        }
    }

    /** Deletes the stream for good, through the real client. */
    private static void tombstone(EventStoreTestServer server, String stream) throws Exception {
        EventStoreDBClient client = ConsumerFaultSupport.client(server);
        try {
            client.tombstoneStream(stream).get(10, TimeUnit.SECONDS);
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
    }
}
