package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.ServerVersion;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How clients connect: keepalive, cluster discovery (gossip) connection strings, server features. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TestkitConnectionTest {
    /**
     * How long the keepalive test keeps its subscription idle. grpc-java raises any keepalive below 10 s to 10 s
     * ({@code KeepAliveManager.MIN_KEEPALIVE_TIME_NANOS}), so {@code keepAliveInterval=500} really pings every 10 s;
     * grpc-java's default server policy (one ping per 5 minutes, 2 strikes) answers the third ping, about 30 s
     * into the idle period, with GOAWAY ENHANCE_YOUR_CALM "too_many_pings". Anything shorter could not fail.
     */
    private static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(33);

    private final Clients clients = new Clients();

    @AfterEach
    void close() {
        clients.close();
    }

    /** Tagged "slow" (about 33 s, see {@link #KEEPALIVE_IDLE}): {@code -DexcludedGroups=slow} leaves it out. */
    @Test
    @Tag("slow")
    void anIdleSubscriptionSurvivesTheClientsKeepalivePings() {
        EventStoreTestServer server = clients.start(EventStoreTestServer.builder());
        String stream = newStream("keepalive");
        EventStoreDBClient client =
                clients.connect(server.connectionString() + "&keepAliveInterval=500&keepAliveTimeout=2000");
        Recorder recorder = new Recorder();
        clients.subscribed(client.subscribeToStream(stream, recorder, SubscribeToStreamOptions.get()));
        eventually().until(recorder::isCaughtUp);

        // idle: nothing goes over this connection but the client's pings
        eventually()
                .atMost(KEEPALIVE_IDLE.plusSeconds(10))
                .during(KEEPALIVE_IDLE)
                .alias("the idle subscription is still open")
                .until(() -> !recorder.isCancelled() && server.activeSubscriptions() == 1);
        // appended through another connection, so that the first one stayed idle until now
        EventStoreDBClient writer = clients.connect(server.connectionString());
        result(writer.appendToStream(stream, json("after-idle")));

        eventually().until(() -> recorder.events().size() == 1);
        assertThat(recorder.eventTypes()).containsExactly("after-idle");
        assertThat(recorder.isCancelled()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "esdb://127.0.0.1:%1$d,127.0.0.1:%1$d?tls=false",
                "esdb+discover://127.0.0.1:%1$d?tls=false",
                "esdb://127.0.0.1:%1$d?tls=false&dnsDiscover=true"
            })
    void discoveryThroughGossipFindsTheServer(String template) {
        // 5.4.5 parses the ports of a host list with Short.parseShort: above 32767 it fails ("Invalid port number
        // format"), so this server gets a port below that
        EventStoreTestServer server = startBelowPort32768();
        String stream = newStream("gossip");
        EventStoreDBClient client = clients.connect(String.format(template, server.port()));

        result(client.appendToStream(stream, json("A"), json("B")));

        assertThat(result(client.readStream(stream, ReadStreamOptions.get())).getEvents())
                .map(ResolvedEvent::getEvent)
                .extracting(RecordedEvent::getEventType)
                .containsExactly("A", "B");
    }

    private EventStoreTestServer startBelowPort32768() {
        java.util.Random random = new java.util.Random();
        java.io.UncheckedIOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return clients.start(EventStoreTestServer.builder().port(20_000 + random.nextInt(12_000)));
            } catch (java.io.UncheckedIOException portTaken) {
                last = portTaken;
            }
        }
        throw last;
    }

    @Test
    void serverFeaturesReportTheConfiguredVersion() {
        EventStoreTestServer defaultVersion = clients.start(EventStoreTestServer.builder());
        EventStoreTestServer older =
                clients.start(EventStoreTestServer.builder().serverVersion("23.10.1"));

        Optional<ServerVersion> reported =
                result(clients.connect(defaultVersion.connectionString()).getServerVersion());
        Optional<ServerVersion> reportedOlder =
                result(clients.connect(older.connectionString()).getServerVersion());

        assertThat(EventStoreTestServer.DEFAULT_SERVER_VERSION).isEqualTo("24.10.0");
        assertThat(reported).hasValueSatisfying(version -> {
            assertThat(version.getMajor()).isEqualTo(24);
            assertThat(version.getMinor()).isEqualTo(10);
            assertThat(version.getPatch()).isZero();
        });
        assertThat(reportedOlder).hasValueSatisfying(version -> assertThat(version.equals(23, 10, 1))
                .isTrue());
    }
}
