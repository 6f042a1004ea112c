package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.EventStoreConfiguration;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scenario 8: the connectors application given a bad configuration. Each mistake gives one clear message naming
 * the cause within seconds, without a stack-trace flood or a retry storm; startup mistakes stop the application,
 * connection mistakes are reported once while the connector keeps trying with backoff (the server may yet come).
 */
class BadConfigurationTest {
    private static final String PASSWORD = "s3cr3t-Pa55";
    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(20);

    private static EventStoreTestServer plain;
    private static EventStoreTestServer secured;
    private static EventStoreTestServer tls;

    @TempDir
    Path work;

    @BeforeAll
    static void startServers() {
        plain = EventStoreTestServer.startDefault();
        secured = EventStoreTestServer.builder().user("admin", PASSWORD).build().start();
        tls = EventStoreTestServer.builder().tls(true).build().start();
    }

    @AfterAll
    static void stopServers() {
        plain.close();
        secured.close();
        tls.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "an unknown setting|colour=blue|Invalid connector setting 'colour': it is not a setting of"
                        + " eventstore-logger-sink; its settings are [",
                "a misspelt setting|initalPosition=earliest|Invalid connector setting 'initalPosition': it is not a"
                        + " setting of eventstore-logger-sink (did you mean 'initialPosition'?)",
                "a missing required setting|templateId=eventstore-kafka-sink|Route template eventstore-kafka-sink the"
                        + " following mandatory parameters must be provided: topic",
                "a bad value|logLevel=LOUD|Invalid connector setting 'logLevel': it must be one of TRACE, DEBUG, INFO,"
                        + " WARN, ERROR, OFF, got 'LOUD'",
                "a malformed connection string|connectionString=esdb//admin:" + PASSWORD
                        + "@127.0.0.1:2113|Invalid connectionString 'esdb//***@127.0.0.1:2113': no protocol"
            })
    void aStartupMistakeStopsTheApplicationWithOneMessageNamingIt(String mistake, String setting, String message)
            throws Exception {
        String properties = logger(plain.connectionString()) + "camel.routeTemplate[c]." + setting + "\n";
        long started = System.nanoTime();
        try (ConnectorApp app = ConnectorApp.launch(work.resolve("app"), properties, Map.of())) {
            int exit = app.awaitExit(Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            List<String> output = output(app);
            assertThat(exit).as(mistake + ": exit code; " + output).isEqualTo(1);
            assertThat(app.stderr()).as(mistake).contains("eventstore-connectors did not start: " + message);
            assertThat(took).as(mistake).isLessThan(REPORTED_WITHIN);
            assertNoFlood(output, mistake);
            Results.record(
                    "bad-configuration",
                    "%s: exit 1 after %d ms (JVM start included), \"%s\"",
                    mistake,
                    took.toMillis(),
                    message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a port nothing listens on|REFUSED|nothing accepts connections at 127.0.0.1:",
                "a host name that does not resolve|esdb://no-such-host.invalid:2113?tls=false|the host name"
                        + " no-such-host.invalid cannot be resolved",
                "TLS asked of a server without it|PLAIN_WITH_TLS|does not speak TLS but the connection string asks"
                        + " for it (TLS is the default): add tls=false",
                "tls=false against a TLS server|TLS_WITHOUT_TLS|speaks TLS but the connection string says tls=false",
                "an untrusted server certificate|TLS_WITHOUT_CA|is not trusted: give its CA certificate with"
                        + " tlsCAFile=<file>"
            })
    void aConnectionMistakeIsReportedOnceWithItsCauseAndRetriedWithBackoff(
            String mistake, String connection, String cause) throws Exception {
        int port = Management.freePort();
        String properties = "camel.management.port=" + port + "\n" + logger(connectionString(connection));
        long started = System.nanoTime();
        try (ConnectorApp app = ConnectorApp.launch(work.resolve("app"), properties, Map.of())) {
            String warning = app.awaitLine(cause, ConnectorApp.STARTUP);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(warning).contains("WARN").contains("Subscription of eventstore:$all (route c) lost");
            assertThat(took).as(mistake).isLessThan(REPORTED_WITHIN);
            // health says why while the connector waits for the next attempt
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Management.get(port, "/observe/health?data=true"))
                            .contains("\"DOWN\"")
                            .contains(cause));
            // several backoff rounds later: still the one WARN, no stack traces
            await().atMost(Duration.ofSeconds(45)).until(() -> reconnects(port) >= 3);
            assertNoRetryStorm(port, started, mistake);
            assertThat(app.isAlive()).isTrue();
            List<String> output = output(app);
            assertThat(output.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
                    .as(mistake)
                    .hasSize(1);
            assertNoFlood(output, mistake);
            int attempts = assertNoRetryStorm(port, started, mistake);
            long elapsed = millisSince(started);
            Results.record(
                    "bad-configuration",
                    "%s: one WARN after %d ms (JVM start included), \"...%s...\"; health DOWN with the cause;"
                            + " %d attempts later still that one WARN (the backoff leaves room for at most %d in %d"
                            + " ms since launch)",
                    mistake,
                    took.toMillis(),
                    cause,
                    attempts,
                    mostAttemptsWithin(elapsed),
                    elapsed);
            app.terminate();
        }
    }

    @Test
    void wrongCredentialsStopTheConnectorAtOnceWithoutShowingThePassword() throws Exception {
        int port = Management.freePort();
        String properties =
                "camel.management.port=" + port + "\n" + logger(secured.connectionString("admin", "wrong-" + PASSWORD));
        long started = System.nanoTime();
        try (ConnectorApp app = ConnectorApp.launch(work.resolve("app"), properties, Map.of())) {
            String error = app.awaitLine("refused the credentials", ConnectorApp.STARTUP);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(error)
                    .contains("ERROR")
                    .contains("Stopping route c")
                    .contains("EventStoreDB refused the credentials (UNAUTHENTICATED): check the username and"
                            + " password");
            assertThat(took).isLessThan(REPORTED_WITHIN);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Management.get(port, "/observe/health?data=true"))
                            .contains("\"DOWN\"")
                            .contains("refused the credentials"));
            List<String> output = output(app);
            assertThat(output).noneMatch(line -> line.contains(PASSWORD));
            assertThat(Management.get(port, "/observe/health?data=true")).doesNotContain(PASSWORD);
            assertThat(Management.get(port, "/observe/metrics")).doesNotContain(PASSWORD);
            assertNoFlood(output, "wrong credentials");
            Results.record(
                    "bad-configuration",
                    "wrong credentials: route stopped with one ERROR after %d ms (JVM start included), no retries,"
                            + " password in no output",
                    took.toMillis());
            app.terminate();
        }
    }

    /**
     * The connectors application sets no reconnect backoff, so the consumer uses the component's defaults (500 ms
     * doubling up to 30 s).
     */
    private static final EventStoreConfiguration DEFAULTS = new EventStoreConfiguration();

    /**
     * The reconnect attempts reported so far are no more than the backoff allows since launch; returns them.
     *
     * <p>After its k-th failed attempt the consumer pauses min(initial x 2^(k-1), max) before the next one, so n
     * attempts take at least the first n - 1 pauses: with the defaults 500, 1,000, 2,000, 4,000 ms, i.e. 3 attempts
     * need 1.5 s, 4 need 3.5 s, 5 need 7.5 s, 6 need 15.5 s. Everything else (the JVM start, each attempt's own
     * connection time, the probe of the first outage) only makes them later, and the time since launch includes
     * all of it: the bound cannot be exceeded by a slow machine, only by a consumer that retries faster than its
     * backoff. A retry storm makes tens or hundreds of attempts in that time; one extra attempt is allowed as a
     * margin for millisecond rounding.
     */
    private static int assertNoRetryStorm(int port, long launchedNanos, String mistake) {
        int attempts = reconnects(port);
        // read after the count: the bound is then for at least the time the count covers
        long elapsed = millisSince(launchedNanos);
        assertThat(attempts)
                .as("%s: reconnect attempts %d ms after launch", mistake, elapsed)
                .isLessThanOrEqualTo(mostAttemptsWithin(elapsed) + 1);
        return attempts;
    }

    /** The most attempts the default backoff leaves room for within {@code elapsedMillis}. */
    static int mostAttemptsWithin(long elapsedMillis) {
        int attempts = 1; // the first attempt follows no pause
        long paused = 0;
        long delay = DEFAULTS.getReconnectInitialDelay();
        while (paused + delay <= elapsedMillis) {
            paused += delay;
            attempts++;
            delay = Math.min(delay * 2, DEFAULTS.getReconnectMaxDelay());
        }
        return attempts;
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static final Pattern RECONNECTS = Pattern.compile("\"reconnects\"\\s*:\\s*\"?(\\d+)");

    /** The reconnect attempts the consumer's health check reports. */
    private static int reconnects(int port) {
        Matcher matcher = RECONNECTS.matcher(Management.get(port, "/observe/health?data=true"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static String connectionString(String connection) throws IOException {
        return switch (connection) {
            case "REFUSED" -> "esdb://127.0.0.1:" + Management.freePort() + "?tls=false";
            case "PLAIN_WITH_TLS" -> "esdb://127.0.0.1:" + plain.port() + "?tls=true";
            case "TLS_WITHOUT_TLS" -> "esdb://127.0.0.1:" + tls.port() + "?tls=false";
            case "TLS_WITHOUT_CA" -> "esdb://127.0.0.1:" + tls.port() + "?tls=true";
            default -> connection;
        };
    }

    private static String logger(String connectionString) {
        return String.join(
                "\n",
                "camel.routeTemplate[c].templateId=eventstore-logger-sink",
                "camel.routeTemplate[c].connectionString=" + connectionString,
                "");
    }

    private static List<String> output(ConnectorApp app) {
        List<String> all = new ArrayList<>(app.stdout());
        all.addAll(app.stderr().lines().toList());
        return all;
    }

    /** No stack trace anywhere in what the application printed, and nothing of the password. */
    private static void assertNoFlood(List<String> output, String mistake) {
        assertThat(output).as(mistake + ": stack frames").noneMatch(line -> line.trim()
                .startsWith("at "));
        assertThat(output).as(mistake + ": password").noneMatch(line -> line.contains(PASSWORD));
    }
}
