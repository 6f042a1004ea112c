package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

/**
 * Routes of one CamelContext with the same connection string share one client, so one connection to the server:
 * consumers, their checkpoint store and producers. After the server went away long enough for the client to shut
 * itself down, one new client serves them all; the client is shut down when the last route using it stops; a
 * connection string with other credentials gets a client of its own.
 */
class SharedClientTest extends ConsumerServerTestSupport {
    private static final String FAST = "reconnectInitialDelay=50&reconnectMaxDelay=200&livenessCheckInterval=300";

    @Override
    EventStoreTestServer.Builder serverBuilder() {
        return EventStoreTestServer.builder().user("admin", "changeit").user("ops", "secret");
    }

    @Test
    void routesWithTheSameConnectionStringUseOneConnectionAndTheirCheckpointsAnother() throws Exception {
        String connection = server.connectionString();
        Recorder first = resumable(connection, "first", "a-");
        Recorder second = resumable(connection, "second", "b-");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:append")
                        .routeId("producer")
                        .to("eventstore:a-1?eventType=Numbered&connectionString=RAW(" + connection + ")");
            }
        });
        context.start();

        for (int n = 0; n < 5; n++) {
            context.createProducerTemplate().sendBody("direct:append", "{\"n\":" + n + "}");
        }
        append("b-1", 0, 5);
        await().atMost(WAIT).until(() -> first.size() == 5 && second.size() == 5);
        assertThat(server.openConnections()).isEqualTo(2);
    }

    @Test
    void theClientIsShutDownWhenTheLastRouteUsingItStops() throws Exception {
        String connection = server.connectionString();
        resumable(connection, "first", "a-");
        Recorder second = resumable(connection, "second", "b-");
        context.start();
        await().atMost(WAIT).until(() -> server.openConnections() == 2 && subscribed("first") && subscribed("second"));

        context.getRouteController().stopRoute("first", 10, TimeUnit.SECONDS);
        append("b-1", 0, 3);
        await().atMost(WAIT).until(() -> second.size() == 3);
        assertThat(server.openConnections()).isEqualTo(2);

        // the routes' client goes with the last route; the checkpoint stores' one with the strategy
        context.getRouteController().stopRoute("second", 10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> server.openConnections() == 1);
        context.stop();
        await().atMost(WAIT).until(() -> server.openConnections() == 0);
    }

    @Test
    void aClientRenewedAfterTheServerCameBackServesEveryRoute() throws Exception {
        // the client gives up (and shuts itself down for good) after 2 discovery attempts 100 ms apart
        String connection = server.connectionString() + "&maxDiscoverAttempts=2&discoveryInterval=100";
        // without checkpoints: their client (of its own, renewed when it is next used) would make the count racy
        Recorder first = route(connection, "first", "a-", false);
        Recorder second = route(connection, "second", "b-", false);
        context.start();
        await().atMost(WAIT).until(() -> subscribed("first") && subscribed("second"));

        server.stop();
        // outlast the client: both consumers retried after it shut down
        await().atMost(WAIT).until(() -> reconnects("first") >= 3 && reconnects("second") >= 3);
        append("a-1", 0, 10);
        append("b-1", 0, 10);
        server.start();

        await().atMost(WAIT).until(() -> first.size() >= 10 && second.size() >= 10);
        List<Integer> all = IntStream.range(0, 10).boxed().toList();
        assertThat(first.numbers()).isEqualTo(all);
        assertThat(second.numbers()).isEqualTo(all);
        assertThat(server.openConnections()).isEqualTo(1);
    }

    @Test
    void otherCredentialsInTheConnectionStringGetAClientOfTheirOwn() throws Exception {
        Recorder admin = route(server.connectionString("admin", "changeit"), "admin", "a-", false);
        Recorder ops = route(server.connectionString("ops", "secret"), "ops", "b-", false);
        // the username option goes with each call: the client of the connection string is shared
        Recorder perCall = recording(
                uri("$all", "streamNamePrefixes=a-", "initialPosition=earliest", "username=ops", "password=secret"),
                "per-call");
        context.start();

        append("a-1", 0, 3);
        append("b-1", 0, 3);
        await().atMost(WAIT).until(() -> admin.size() == 3 && ops.size() == 3 && perCall.size() == 3);
        assertThat(server.openConnections()).isEqualTo(2);
    }

    /** A route from the prefix's streams of $all to a new recorder, checkpointed through the context's strategy. */
    private Recorder resumable(String connection, String routeId, String prefix) throws Exception {
        return route(connection, routeId, prefix, true);
    }

    private Recorder route(String connection, String routeId, String prefix, boolean checkpointed) throws Exception {
        if (checkpointed && context.getRegistry().lookupByName("checkpoints") == null) {
            context.getRegistry().bind("checkpoints", new EventStoreResumeStrategy());
        }
        Recorder recorder = new Recorder();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                RouteDefinition route = from("eventstore:$all?initialPosition=earliest&streamNamePrefixes=" + prefix
                                + "&" + FAST + "&connectionString=RAW(" + connection + ")")
                        .routeId(routeId);
                (checkpointed ? route.resumable("checkpoints") : route).process(recorder::accept);
            }
        });
        return recorder;
    }

    private boolean subscribed(String routeId) {
        EventStoreConsumerState state = consumer(routeId).getState();
        return state == EventStoreConsumerState.CATCHING_UP || state == EventStoreConsumerState.LIVE;
    }

    private long reconnects(String routeId) {
        return consumer(routeId).status().reconnects();
    }
}
