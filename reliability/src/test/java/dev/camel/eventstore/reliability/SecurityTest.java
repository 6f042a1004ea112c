package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 9: TLS to the server with a CA file works and a certificate from another CA is refused; passwords and
 * tokens (the HTTP connectors' Basic password and bearer token) never appear in the application's logs, in the
 * endpoint URIs Camel prints, or in health and metrics.
 */
class SecurityTest {
    private static final String ESDB_PASSWORD = "esdb-Pa55-w0rd";
    private static final String HTTP_PASSWORD = "http-Pa55-w0rd";
    private static final String HTTP_TOKEN = "bearer-T0ken-7f3c9a";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void overTlsWithTheServersCaFileEventsArriveAndNoSecretIsShownAnywhere() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.builder()
                        .tls(true)
                        .user("admin", ESDB_PASSWORD)
                        .build()
                        .start();
                HttpTestReceiver receiver = HttpTestReceiver.http();
                HttpTestReceiver bearerReceiver = HttpTestReceiver.http()) {
            int port = Management.freePort();
            String connection = server.connectionString("admin", ESDB_PASSWORD);
            assertThat(connection).contains("tls=true").contains("tlsCAFile=");
            String properties = new AppProperties(port)
                    .connector("audit", "eventstore-logger-sink", connection, "streamNamePrefixes=secure-")
                    .connector(
                            "web",
                            "eventstore-http-sink",
                            connection,
                            "streamNamePrefixes=secure-",
                            "url=" + receiver.url("/events/{stream}"),
                            "authMethod=basic",
                            "username=poster",
                            "password=" + HTTP_PASSWORD)
                    // a second HTTP connector with a bearer token, to a receiver of its own
                    .connector(
                            "api",
                            "eventstore-http-sink",
                            connection,
                            "streamNamePrefixes=secure-",
                            "url=" + bearerReceiver.url("/events/{stream}"),
                            "authMethod=bearer",
                            "token=" + HTTP_TOKEN)
                    .toString();
            server.append("secure-1", events(5));
            try (ConnectorApp app = ConnectorApp.start(work.resolve("app"), properties)) {
                await().atMost(WAIT).until(() -> receiver.accepted().size() == 5);
                await().atMost(WAIT).until(() -> bearerReceiver.accepted().size() == 5);
                await().atMost(WAIT)
                        .until(() -> app.stdout().stream()
                                        .filter(line -> line.contains("secret-free body"))
                                        .count()
                                == 5);
                // the HTTP password reached the receiver, and only there
                String basic = Base64.getEncoder()
                        .encodeToString(("poster:" + HTTP_PASSWORD).getBytes(StandardCharsets.UTF_8));
                assertThat(receiver.accepted().get(0).header("Authorization")).isEqualTo("Basic " + basic);
                // so did the token, on every request: the secrecy checks below look for a secret that was in use
                assertThat(bearerReceiver.accepted())
                        .extracting(request -> request.header("Authorization"))
                        .containsOnly("Bearer " + HTTP_TOKEN)
                        .hasSize(5);

                String health = Management.get(port, "/observe/health?data=true");
                String metrics = Management.get(port, "/observe/metrics");
                assertThat(health)
                        .contains("consumer:eventstore-audit")
                        .contains("consumer:eventstore-web")
                        .contains("consumer:eventstore-api");
                assertThat(metrics).contains("eventstore_connector_events_delivered_total");
                List<String> shown = new ArrayList<>(app.stdout());
                shown.addAll(app.stderr().lines().toList());
                shown.add(health);
                shown.add(metrics);
                for (String secret : List.of(ESDB_PASSWORD, HTTP_PASSWORD, basic, HTTP_TOKEN)) {
                    assertThat(shown).as(secret).noneMatch(text -> text.contains(secret));
                }
                // Camel's own startup summary prints the endpoint URIs: masked
                assertThat(shown).anyMatch(line -> line.contains("Started audit (eventstore://$all)"));
                assertThat(shown).anyMatch(line -> line.contains("Started api (eventstore://$all)"));
                Results.record(
                        "security",
                        "TLS with tlsCAFile and Basic auth to EventStoreDB, Basic auth to one HTTP server and a bearer"
                                + " token to another: 5 events logged and 5 POSTed to each (the token received as"
                                + " Authorization: Bearer on all 5); neither password, the token nor the Basic"
                                + " Authorization value in %d lines of output, health (%d chars) or metrics (%d"
                                + " chars)",
                        shown.size() - 2,
                        health.length(),
                        metrics.length());
                app.terminate();
            }
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefusedAndNothingIsDelivered() throws Exception {
        try (EventStoreTestServer server =
                        EventStoreTestServer.builder().tls(true).build().start();
                EventStoreTestServer other =
                        EventStoreTestServer.builder().tls(true).build().start()) {
            server.append("secure-1", events(3));
            int port = Management.freePort();
            // trusts the other server's certificate, not this one's
            String connection = "esdb://127.0.0.1:" + server.port() + "?tls=true&tlsCAFile=" + other.certificateFile();
            String properties = new AppProperties(port)
                    .connector("audit", "eventstore-logger-sink", connection)
                    .toString();
            try (ConnectorApp app = ConnectorApp.start(work.resolve("app"), properties)) {
                String warning = app.awaitLine("is not trusted", WAIT);
                assertThat(warning)
                        .contains("the TLS certificate of 127.0.0.1:" + server.port()
                                + " is not trusted: it was not issued by the CA in tlsCAFile ("
                                + other.certificateFile() + ")");
                await().atMost(WAIT).untilAsserted(() -> assertThat(Management.get(port, "/observe/health?data=true"))
                        .contains("\"DOWN\"")
                        .contains("is not trusted"));
                assertThat(app.stdout()).noneMatch(line -> line.contains("secret-free body"));
                Results.record(
                        "security",
                        "server certificate from another CA: refused, \"%s\", nothing delivered",
                        warning.substring(warning.indexOf("the TLS certificate")));
                app.terminate();
            }
        }
    }

    private static List<EventData> events(int count) {
        List<EventData> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(EventDataBuilder.json(
                            "Secured",
                            ("{\"n\":" + i + ",\"note\":\"secret-free body\"}").getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        return events;
    }
}
