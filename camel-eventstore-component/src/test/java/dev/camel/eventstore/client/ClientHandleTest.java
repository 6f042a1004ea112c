package dev.camel.eventstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadAllOptions;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Handles on the client a CamelContext shares for one connection string: one client for all of them, renewed once for
 * all after it shut itself down, kept when a call of one user timed out but the client answers; a configured client is
 * neither shared nor shut down.
 */
class ClientHandleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private EventStoreTestServer server;
    private CamelContext context;
    private SharedClients registry;

    @BeforeEach
    void start() {
        server = EventStoreTestServer.startDefault();
        context = new DefaultCamelContext();
        context.start();
        registry = SharedClients.of(context);
    }

    @AfterEach
    void stop() {
        context.stop();
        server.close();
    }

    @Test
    void handlesOnOneConnectionStringShareOneClientUntilTheLastCloses() throws Exception {
        ClientHandle first = ClientHandle.of(server.connectionString(), null, registry);
        ClientHandle second = ClientHandle.of(" " + server.connectionString() + " ", null, registry);
        EventStoreDBClient client = first.client();
        assertThat(second.client()).isSameAs(client);
        read(client);
        assertThat(server.openConnections()).isEqualTo(1);

        first.close();
        read(second.client());
        second.close();
        await().atMost(WAIT).until(() -> server.openConnections() == 0);
        assertThat(registry.size()).isZero();
    }

    @Test
    void aClientThatShutItselfDownIsRenewedOnceForEveryUser() throws Exception {
        ClientHandle first = ClientHandle.of(server.connectionString(), null, registry);
        ClientHandle second = first.another();
        EventStoreDBClient broken = usedByBoth(first, second);
        broken.shutdown().get(10, TimeUnit.SECONDS);
        Throwable failure = catchThrowable(() -> read(broken));

        assertThat(first.renewAfter(broken, failure)).isTrue();
        EventStoreDBClient renewed = second.client();
        assertThat(renewed).isNotSameAs(broken);
        // the second user reporting the same failure does not drop the client the first one renewed
        assertThat(second.renewAfter(broken, failure)).isTrue();
        assertThat(first.client()).isSameAs(renewed);
        read(renewed);
        first.close();
        second.close();
    }

    @Test
    void aTimeoutOfOneUserRenewsAClientOnlyWhenItDoesNotAnswer() throws Exception {
        ClientHandle first = ClientHandle.of(server.connectionString(), null, registry);
        ClientHandle second = first.another();
        EventStoreDBClient client = usedByBoth(first, second);

        // it answers others: a call of one user that timed out is that call's problem
        first.renewIfUnanswering(client);
        assertThat(second.client()).isSameAs(client);

        server.stop();
        first.renewIfUnanswering(client);
        assertThat(second.client()).isNotSameAs(client);
        first.close();
        second.close();
    }

    @Test
    void aTimeoutRenewsAClientNobodyElseUses() {
        ClientHandle only = ClientHandle.of(server.connectionString(), null, registry);
        EventStoreDBClient client = only.client();
        only.renewIfUnanswering(client);
        assertThat(only.client()).isNotSameAs(client);
        only.close();
    }

    @Test
    void aConfiguredClientIsNeitherSharedNorShutDown() throws Exception {
        EventStoreDBClient given =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        try {
            ClientHandle handle = ClientHandle.of(server.connectionString(), given, registry);
            assertThat(handle.client()).isSameAs(given);
            handle.renewIfUnanswering(given);
            handle.close();
            assertThat(registry.size()).isZero();
            read(given);
        } finally {
            given.shutdown().get(10, TimeUnit.SECONDS);
        }
    }

    /** The client both handles now use: one. */
    private static EventStoreDBClient usedByBoth(ClientHandle first, ClientHandle second) {
        EventStoreDBClient client = first.client();
        assertThat(second.client()).isSameAs(client);
        return client;
    }

    private static void read(EventStoreDBClient client) throws Exception {
        client.readAll(ReadAllOptions.get().maxCount(1)).get(10, TimeUnit.SECONDS);
    }
}
