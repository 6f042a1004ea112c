package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.completingLater;
import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static dev.camel.eventstore.ResilienceFixture.FAST;
import static dev.camel.eventstore.ResilienceFixture.ROUTE;
import static dev.camel.eventstore.ResilienceFixture.appendOrders;
import static dev.camel.eventstore.ResilienceFixture.awaitAtLeast;
import static dev.camel.eventstore.ResilienceFixture.awaitExactlyOnceInOrder;
import static dev.camel.eventstore.ResilienceFixture.ordersUri;
import static dev.camel.eventstore.ResilienceFixture.reconnects;
import static dev.camel.eventstore.ResilienceFixture.state;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.ResilienceFixture.Fault;
import dev.camel.eventstore.ResilienceFixture.Gate;
import dev.camel.eventstore.ResilienceFixture.Live;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The subscription survives server restarts, dropped subscriptions and subscriptions that end without a word,
 * during catch-up and live, with every event delivered exactly once and in order, also with eight in flight; a
 * paused server causes no loss and no needless reconnect; a route waiting for a server that does not answer stops
 * promptly.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerFaultRecoveryTest {
    @RegisterExtension
    final ResilienceFixture routes = new ResilienceFixture();

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyEventArrivesOnceInOrderAcrossAFaultDuringCatchUpAndAnotherWhileLive(Fault fault) throws Exception {
        EventStoreTestServer server = routes.server();
        int catchUp = 20_000;
        int live = 1_000;
        appendOrders(server, 0, catchUp);
        Gate gate = new Gate(5_000);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(ordersUri(server), gate, sink);

            // mid catch-up: the route holds event 5000, the subscription has more to deliver
            gate.awaitReached();
            assertThat(state(context)).isEqualTo("CATCHING_UP");
            fault.inject(server);
            gate.release();
            awaitAtLeast(sink, catchUp);
            await().until(() -> state(context).equals("LIVE"));
            await().until(() -> logs.count(Level.INFO, "re-established") == 1);

            // live: the fault, then new events
            fault.inject(server);
            appendOrders(server, catchUp, live);
            awaitAtLeast(sink, catchUp + live);
            await().until(() -> logs.count(Level.INFO, "re-established") == 2);

            // nothing more arrives late: no duplicate from an old subscription
            awaitExactlyOnceInOrder(sink, catchUp + live, 500);
            assertThat(logs.count(Level.WARN, "lost")).as("one WARN per outage").isEqualTo(2);
            assertThat(reconnects(context)).isGreaterThanOrEqualTo(2);
            assertThat(health(context, ROUTE).getState()).isEqualTo(HealthCheck.State.UP);
        }
    }

    @Test
    void aStreamSubscriptionWithEightInFlightSurvivesEveryFaultMidStream() throws Exception {
        EventStoreTestServer server = routes.server();
        int batch = 5_000;
        TestEvents.append(server, "orders", TYPE, 0, batch);
        Sink sink = new Sink();
        // an asynchronous sink: it takes the events in dispatch order and completes them out of order
        CamelContext context = routes.startThrough(
                "eventstore:orders?maxInFlight=8&connectionString=" + server.connectionString() + "&" + FAST,
                ROUTE,
                completingLater(routes.scheduler(2), 0, 3, sink::add, e -> {}));
        awaitAtLeast(sink, batch);
        await().until(() -> state(context).equals("LIVE"));

        int next = batch;
        for (Fault fault : Fault.values()) {
            TestEvents.append(server, "orders", TYPE, next, batch);
            // the fault hits while the new events stream in, with exchanges in flight
            awaitAtLeast(sink, next + 200);
            fault.inject(server);
            next += batch;
        }
        awaitExactlyOnceInOrder(sink, next, 500);
        int total = next;
        await().until(() -> SubscriptionPosition.ofRevision(total - 1)
                .equals(consumer(context, ROUTE).getProcessedPosition()));
    }

    @Test
    void aPausedServerWithNothingNewCausesNoReconnect() throws Exception {
        Live live = routes.startLiveOnOrders(100);
        // five liveness intervals with nothing to deliver: the consumer stays subscribed
        live.whilePaused(() -> {}, () -> consumer(live.context(), ROUTE).getState() == EventStoreConsumerState.LIVE);

        appendOrders(live.server(), 100, 100);
        awaitExactlyOnceInOrder(live.sink(), 200, 300);
        assertThat(reconnects(live.context())).isZero();
        live.logs().assertNone(Level.WARN, "lost");
    }

    @Test
    void eventsAppendedWhileTheServerIsPausedArriveOnceInOrder() throws Exception {
        Live live = routes.startLiveOnOrders(100);
        // several liveness intervals while the log holds events the subscription does not deliver
        live.whilePaused(
                () -> appendOrders(live.server(), 100, 1_000), () -> live.sink().size() == 100);

        awaitExactlyOnceInOrder(live.sink(), 1_100, 300);
        await().until(() -> state(live.context()).equals("LIVE"));
        // a re-subscription, if the liveness check made one, is logged once
        assertThat(live.logs().count(Level.WARN, "lost")).isLessThanOrEqualTo(1);
    }

    @Test
    void theRouteStopsPromptlyWhileItWaitsForAServerThatDoesNotAnswer() throws Exception {
        EventStoreTestServer server = routes.serverWithOrders(10);
        server.pauseDelivery(); // the server accepts the subscription but sends nothing, not even its confirmation
        Sink sink = new Sink();
        CamelContext context = routes.start(ordersUri(server), null, sink);
        await().until(() -> server.activeSubscriptions() == 1);

        long started = System.nanoTime();
        context.getRouteController().stopRoute(ROUTE);
        // it used to wait out the 30 s subscribe timeout (cut to 10 s by Camel's forced executor shutdown)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
        assertThat(routeStatus(context, ROUTE)).isEqualTo(ServiceStatus.Stopped);
        assertThat(sink.received).isEmpty();
    }
}
