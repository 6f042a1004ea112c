package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.ReadStreamOptions;
import dev.camel.eventstore.client.ClientHandle;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The consumer's health check, read through Camel's health check registry: UP while subscribed (catching up or
 * live) or on standby, DOWN with a reason while reconnecting or once stopped; its details name the stream, the state, the
 * processed position and the number of reconnects. It is a readiness check only: a reconnecting consumer is no
 * reason to restart the process.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerHealthTest {
    private static final String ROUTE = "healthy";
    private static final String CHECK = "consumer:eventstore-" + ROUTE;
    private static final String FAST = "reconnectInitialDelay=50&reconnectMaxDelay=200&livenessCheckInterval=300";

    private final List<AutoCloseable> resources = new ArrayList<>();
    /** The position header of each numbered event that reached the sink. */
    private final Map<Integer, SubscriptionPosition> positions = new ConcurrentHashMap<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private EventStoreTestServer server() {
        EventStoreTestServer server = EventStoreTestServer.startDefault();
        resources.add(server);
        return server;
    }

    private CamelContext context(String uri, int holdAt, CountDownLatch reached, CountDownLatch release)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE).process(e -> {
                    int n = ConsumerFaultSupport.number(e);
                    if (n == holdAt) {
                        reached.countDown();
                        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                    positions.put(
                            n,
                            SubscriptionPosition.parse(
                                    e.getMessage().getHeader(EventStoreConstants.POSITION, String.class), true));
                });
            }
        });
        resources.add(context::stop);
        resources.add(release::countDown); // closed first: a failed test must not leave the route blocked
        return context;
    }

    private static Map<String, Object> details(CamelContext context) {
        return health(context, ROUTE).getDetails();
    }

    private static SubscriptionPosition processed(CamelContext context) {
        return SubscriptionPosition.parse(String.valueOf(details(context).get("position.processed")), true);
    }

    @Test
    void upWhileCatchingUpAndLiveWithTheProcessedPositionAndReconnectsInItsDetails() throws Exception {
        EventStoreTestServer server = server();
        TestEvents.append(server, "orders-1", "Numbered", 0, 3_000);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CamelContext context = context(
                "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&" + FAST,
                1_000,
                reached,
                release);
        context.start();

        // held at event 1000 of 3000: catching up
        assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
        HealthCheck.Result catchingUp = health(context, ROUTE);
        assertThat(catchingUp.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(catchingUp.getDetails())
                .containsEntry("stream", "$all")
                .containsEntry("state", "CATCHING_UP")
                .containsEntry("route.id", ROUTE)
                .containsEntry("reconnects", 0L);
        // everything up to event 999 is processed, event 1000 is not
        SubscriptionPosition held = positionOf(server, "orders-1", 1_000);
        assertThat(processed(context))
                .isGreaterThanOrEqualTo(positions.get(999))
                .isLessThan(held);

        release.countDown();
        await().until(() -> "LIVE".equals(details(context).get("state")));
        await().until(() -> positions.size() == 3_000);
        SubscriptionPosition last = SubscriptionPosition.ofAll(server.lastPosition(), server.lastPosition());
        assertThat(positions.get(2_999)).isEqualTo(last);
        await().until(() -> processed(context).equals(last));
        assertThat(health(context, ROUTE).getState()).isEqualTo(HealthCheck.State.UP);

        // a dropped subscription is counted, and the consumer is UP again once re-subscribed
        server.dropSubscriptions();
        await().until(() -> ((Number) details(context).get("reconnects")).longValue() >= 1);
        await().until(() -> health(context, ROUTE).getState() == HealthCheck.State.UP);

        // a readiness check, not a liveness check
        assertThat(HealthCheckHelper.invokeReadiness(context))
                .anySatisfy(r -> assertThat(r.getCheck().getId()).isEqualTo(CHECK));
        assertThat(HealthCheckHelper.invokeLiveness(context))
                .noneSatisfy(r -> assertThat(r.getCheck().getId()).isEqualTo(CHECK));

        // stopped: DOWN with the reason, still telling how far it got
        context.getRouteController().stopRoute(ROUTE);
        HealthCheck.Result stopped = health(context, ROUTE);
        assertThat(stopped.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(stopped.getMessage()).hasValue("the consumer is stopped");
        assertThat(stopped.getDetails())
                .containsEntry("state", "STOPPED")
                .containsEntry("position.processed", last.toString());

        // a route that does not start by itself and is stopped waits for whoever starts it: a route policy such as
        // Camel's ClusteredRoutePolicy turns auto-startup off and starts the route where it is elected
        context.getRoute(ROUTE).setAutoStartup(false);
        HealthCheck.Result standby = health(context, ROUTE);
        assertThat(standby.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(standby.getMessage())
                .hasValue("standby: the route waits for its route policy (leadership) to start it");
        assertThat(standby.getDetails()).containsEntry("state", "STANDBY");
    }

    /** The $all position of a stream's event, read from the server. */
    private static SubscriptionPosition positionOf(EventStoreTestServer server, String stream, long revision)
            throws Exception {
        try (ClientHandle client = ClientHandle.of(server.connectionString(), null)) {
            return SubscriptionPosition.ofAll(client.client()
                    .readStream(
                            stream,
                            ReadStreamOptions.get().fromRevision(revision).maxCount(1))
                    .get(10, TimeUnit.SECONDS)
                    .getEvents()
                    .get(0)
                    .getOriginalEvent()
                    .getPosition());
        }
    }

    @Test
    void downWithTheReasonWhileTheServerCannotBeReachedThenUp() throws Exception {
        EventStoreTestServer server = server();
        TestEvents.append(server, "orders-1", "Numbered", 0, 10);
        server.stop();
        CamelContext context = context(
                "eventstore:$all?streamNamePrefixes=orders-&connectionString=RAW(" + server.connectionString()
                        + "&maxDiscoverAttempts=1&discoveryInterval=50)&" + FAST,
                -1,
                new CountDownLatch(1),
                new CountDownLatch(0));
        context.start();

        await().until(() -> "RECONNECTING".equals(details(context).get("state")));
        HealthCheck.Result down = health(context, ROUTE);
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).isNotBlank());
        assertThat(down.getDetails()).containsEntry("position.processed", "start");
        assertThat(positions).isEmpty();

        server.start();
        await().until(() -> health(context, ROUTE).getState() == HealthCheck.State.UP);
        await().until(() -> positions.size() == 10);
        assertThat(((Number) details(context).get("reconnects")).longValue()).isPositive();
    }

    @Test
    void noCheckWhenTheComponentDisablesConsumerHealthChecks() throws Exception {
        EventStoreTestServer server = server();
        TestEvents.append(server, "orders-1", "Numbered", 0, 10);
        CamelContext context = context(
                "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString(),
                -1,
                new CountDownLatch(1),
                new CountDownLatch(0));
        context.getComponent("eventstore", EventStoreComponent.class).setHealthCheckConsumerEnabled(false);
        context.start();

        await().until(() -> positions.size() == 10);
        assertThat(HealthCheckHelper.invoke(context))
                .noneSatisfy(r -> assertThat(r.getCheck().getId()).isEqualTo(CHECK));
    }
}
