package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.recording;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every invalid consumer option fails the route's start-up with a message naming the option; secrets never show in
 * what Camel prints; durations take Camel's duration syntax.
 */
class ConsumerOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "s3cret";

    private static EventStoreTestServer server;
    private static String plain;

    @BeforeAll
    static void startServer() {
        server = EventStoreTestServer.builder().user("admin", PASSWORD).build().start();
        plain = "esdb://127.0.0.1:" + server.port() + "?tls=false";
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A connection string with credentials, as a RAW value. */
    private static String connection() {
        return "connectionString=RAW(" + server.connectionString() + ")";
    }

    @Test
    void aValidConfigurationStartsAndDelivers() throws Exception {
        // the control for the failures below: valid values of the same options start and deliver
        TestEvents.append(server, "control-1", "Numbered", 0, 3);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Recorder received = recording(
                    context,
                    "eventstore:control-1?maxInFlight=4&bufferSize=10&retryMaxAttempts=3&" + connection(),
                    "valid");
            context.start();
            await().atMost(WAIT).until(() -> received.size() >= 3);
            assertThat(received.numbers()).containsExactly(0, 1, 2);
        }
    }

    @Test
    void missingConnectionString() throws Exception {
        assertThat(startFailure("eventstore:$all")).contains("connectionString").contains("eventstore:$all");
        assertThat(startFailure("eventstore:orders-1?connectionString=")).contains("connectionString");
    }

    @Test
    void malformedConnectionStringIsNamedWithoutItsPassword() throws Exception {
        // connection string -> its password; special characters make the client misread the password as a host
        // or port, and quote it back in its own error message
        Map<String, String> malformed = new LinkedHashMap<>();
        malformed.put("esdb://admin:" + PASSWORD + "@127.0.0.1:notaport?tls=false", PASSWORD);
        malformed.put("http://admin:" + PASSWORD + "@127.0.0.1:2113?tls=false", PASSWORD);
        malformed.put("esdb://admin:" + PASSWORD + "@127.0.0.1:2113?tls=maybe", PASSWORD);
        malformed.put("esdb://admin:pa55@w0rd@127.0.0.1:2113?tls=false", "pa55@w0rd");
        malformed.put("esdb://admin:t0p/s3cret@127.0.0.1:2113?tls=false", "t0p/s3cret");
        malformed.put("esdb://admin:t0p?s3cret@127.0.0.1:2113?tls=false", "t0p?s3cret");
        malformed.put("esdb://admin:t0p/s3cret@127.0.0.1:notaport?tls=false", "t0p/s3cret");
        // no "://": the scheme is malformed, the credentials are still recognised
        malformed.put("esdb//admin:" + PASSWORD + "@127.0.0.1:2113?tls=false", PASSWORD);
        for (Map.Entry<String, String> entry : malformed.entrySet()) {
            String uri = "eventstore:$all?connectionString=RAW(" + entry.getKey() + ")";
            // nothing of the password, anywhere in what Camel reports
            List<String> messages = new ArrayList<>();
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                context.addRoutes(route(uri, "invalid", new Recorder()));
                Throwable failure = catchThrowable(context::start);
                assertThat(failure).as(uri).isNotNull();
                for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                    messages.add(String.valueOf(t.getMessage()));
                }
            }
            assertThat(messages.get(messages.size() - 1))
                    .as(entry.getKey())
                    .startsWith("Invalid connectionString '")
                    .contains("127.0.0.1");
            // only the credentials are masked: the scheme stays readable
            assertThat(messages.get(messages.size() - 1))
                    .as(entry.getKey())
                    .containsAnyOf("'esdb://***@", "'http://***@", "'esdb//***@");
            for (String piece : entry.getValue().split("[@/?]")) {
                assertThat(messages).as(entry.getKey()).noneMatch(message -> message.contains(piece));
            }
        }
    }

    @Test
    void badStartPositions() throws Exception {
        assertThat(startFailure("eventstore:$all?initialPosition=yesterday&" + connection()))
                .contains("initialPosition")
                .contains("'yesterday'");
        assertThat(startFailure("eventstore:$all?initialPosition=12/x&" + connection()))
                .contains("initialPosition");
        // a prepare position above the commit position does not exist
        assertThat(startFailure("eventstore:$all?initialPosition=100/200&" + connection()))
                .contains("initialPosition");
        assertThat(startFailure("eventstore:orders-1?initialPosition=-3&" + connection()))
                .contains("initialPosition");
        assertThat(startFailure("eventstore:orders-1?initialPosition=1200/1200&" + connection()))
                .contains("initialPosition")
                .contains("$all position");
    }

    @Test
    void aStartPositionInsideARecordStopsTheRouteWithTheServersReason() throws Exception {
        // well-formed, so only the server can tell: the first record of the log starts at 128, 129 is inside it
        Logger consumerLog = (Logger) LoggerFactory.getLogger(EventStoreConsumer.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        consumerLog.addAppender(logs);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Recorder received = recording(context, "eventstore:$all?initialPosition=129/129&" + connection(), "inside");
            context.start();
            EventStoreConsumer consumer = ConsumerFaultSupport.consumer(context, "inside");
            await().atMost(WAIT).until(() -> context.getRouteController()
                    .getRouteStatus("inside")
                    .isStopped());
            assertThat(consumer.getState()).isEqualTo(EventStoreConsumerState.FAILED);
            assertThat(received).isEmpty();
        } finally {
            consumerLog.detachAppender(logs);
        }
        assertThat(logs.list)
                .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .extracting(ILoggingEvent::getFormattedMessage)
                .singleElement()
                .asString()
                .contains("route inside")
                .contains("Trying to read from an invalid position.");
    }

    @Test
    void filterCombinations() throws Exception {
        assertThat(startFailure("eventstore:$all?streamNamePrefixes=orders-&eventTypePrefixes=Order&" + connection()))
                .contains("streamNamePrefixes")
                .contains("eventTypePrefixes");
        assertThat(startFailure("eventstore:$all?streamNameRegex=orders&eventTypeRegex=Order&" + connection()))
                .contains("streamNameRegex")
                .contains("eventTypeRegex");
        assertThat(startFailure("eventstore:$all?streamNamePrefixes=orders-&streamNameRegex=orders&" + connection()))
                .contains("streamNamePrefixes")
                .contains("streamNameRegex");
        assertThat(startFailure("eventstore:$all?eventTypePrefixes=Order&eventTypeRegex=Order&" + connection()))
                .contains("eventTypePrefixes")
                .contains("eventTypeRegex");
    }

    @Test
    void invalidRegularExpressions() throws Exception {
        assertThat(startFailure("eventstore:$all?streamNameRegex=RAW(orders-[0-9)&" + connection()))
                .contains("streamNameRegex")
                .contains("orders-[0-9");
        assertThat(startFailure("eventstore:$all?eventTypeRegex=RAW(*Placed)&" + connection()))
                .contains("eventTypeRegex")
                .contains("*Placed");
    }

    @Test
    void sizesAndCounts() throws Exception {
        assertThat(startFailure("eventstore:$all?maxInFlight=0&" + connection()))
                .contains("maxInFlight")
                .contains("0");
        assertThat(startFailure("eventstore:$all?bufferSize=0&" + connection())).contains("bufferSize");
        assertThat(startFailure("eventstore:$all?retryMaxAttempts=-1&" + connection()))
                .contains("retryMaxAttempts")
                .contains("-1");
        assertThat(startFailure("eventstore:$all?checkpointWindow=0&" + connection()))
                .contains("checkpointWindow");
        assertThat(startFailure("eventstore:$all?checkpointIntervalMultiplier=0&" + connection()))
                .contains("checkpointIntervalMultiplier");
        assertThat(startFailure("eventstore:$all?livenessCheckInterval=-1&" + connection()))
                .contains("livenessCheckInterval");
    }

    @Test
    void delays() throws Exception {
        assertThat(startFailure("eventstore:$all?retryInitialDelay=1000&retryMaxDelay=999&" + connection()))
                .contains("retryMaxDelay")
                .contains("1000 ms");
        assertThat(startFailure("eventstore:$all?retryInitialDelay=0&" + connection()))
                .contains("retryInitialDelay");
        assertThat(startFailure("eventstore:$all?reconnectInitialDelay=2000&reconnectMaxDelay=1000&" + connection()))
                .contains("reconnectMaxDelay");
        // durations in Camel's syntax
        assertThat(startFailure("eventstore:$all?retryInitialDelay=2s&retryMaxDelay=1s&" + connection()))
                .contains("retryMaxDelay")
                .contains("2000 ms");
    }

    @Test
    void durationsAcceptCamelsSyntax() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Recorder received = recording(
                    context,
                    "eventstore:durations-1?retryInitialDelay=2s&retryMaxDelay=1m30s&reconnectInitialDelay=250ms"
                            + "&reconnectMaxDelay=1m&livenessCheckInterval=1500&" + connection(),
                    "durations");
            context.start();
            EventStoreConfiguration c =
                    ((EventStoreEndpoint) context.getRoute("durations").getEndpoint()).getConfiguration();
            assertThat(c.getRetryInitialDelay()).isEqualTo(2_000);
            assertThat(c.getRetryMaxDelay()).isEqualTo(90_000);
            assertThat(c.getReconnectInitialDelay()).isEqualTo(250);
            assertThat(c.getReconnectMaxDelay()).isEqualTo(60_000);
            // a plain number is milliseconds
            assertThat(c.getLivenessCheckInterval()).isEqualTo(1_500);

            TestEvents.append(server, "durations-1", "Numbered", 0, 1);
            await().atMost(WAIT).until(() -> received.size() >= 1);
            assertThat(received.numbers()).containsExactly(0);
        }
    }

    @Test
    void credentials() throws Exception {
        assertThat(startFailure("eventstore:$all?username=admin&connectionString=RAW(" + plain + ")"))
                .contains("username")
                .contains("password");
        assertThat(startFailure("eventstore:$all?password=" + PASSWORD + "&connectionString=RAW(" + plain + ")"))
                .contains("username")
                .contains("password")
                .doesNotContain(PASSWORD);
    }

    @Test
    void systemTypePrefixesNeedSystemEvents() throws Exception {
        assertThat(startFailure("eventstore:$all?eventTypePrefixes=Order,$metadata&" + connection()))
                .contains("eventTypePrefixes")
                .contains("excludeSystemEvents")
                .contains("$metadata");
        // allowed once system events are wanted: the seeded $metadata events arrive
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Recorder received = recording(
                    context,
                    "eventstore:$all?eventTypePrefixes=$metadata&excludeSystemEvents=false&" + connection(),
                    "system");
            context.start();
            await().atMost(WAIT).until(() -> received.size() >= 2);
            assertThat(received)
                    .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                    .startsWith("$$$scavenges", "$$$stats-127.0.0.1:2113");
        }
    }

    @Test
    void printedUrisAndLogsMaskConnectionStringAndPassword() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            TestEvents.append(server, "secrets-1", "Numbered", 0, 1);
            Recorder inString = new Recorder();
            Recorder asOptions = new Recorder();
            context.addRoutes(route("eventstore:secrets-1?" + connection(), "in-string", inString));
            context.addRoutes(route(
                    "eventstore:secrets-1?username=admin&password=" + PASSWORD + "&connectionString=RAW(" + plain + ")",
                    "as-options",
                    asOptions));
            context.start();
            // the credentials are right: both consumers read
            await().atMost(WAIT).until(() -> inString.size() >= 1 && asOptions.size() >= 1);

            Route first = context.getRoute("in-string");
            Route second = context.getRoute("as-options");
            // the raw URI holds the secret; what Camel prints is sanitised
            assertThat(first.getEndpoint().getEndpointUri()).contains(PASSWORD);
            String firstPrinted = URISupport.sanitizeUri(first.getEndpoint().getEndpointUri());
            String secondPrinted = URISupport.sanitizeUri(second.getEndpoint().getEndpointUri());
            assertThat(firstPrinted).doesNotContain(PASSWORD).contains("connectionString=xxxxxx");
            assertThat(secondPrinted)
                    .doesNotContain(PASSWORD)
                    .contains("password=xxxxxx")
                    .contains("connectionString=xxxxxx");
            assertThat(first.getEndpoint().toString()).doesNotContain(PASSWORD);
            assertThat(second.getEndpoint().toString()).doesNotContain(PASSWORD);
            assertThat(first.getEndpoint().getEndpointBaseUri()).doesNotContain(PASSWORD);
            assertThat(first.toString()).doesNotContain(PASSWORD);
            assertThat(second.toString()).doesNotContain(PASSWORD);
        } finally {
            root.detachAppender(logs);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            lines.add(event.getFormattedMessage());
        }
        // the startup summary names the routes
        assertThat(lines).anyMatch(line -> line.contains("in-string") && line.contains("eventstore://secrets-1"));
        assertThat(lines).noneMatch(line -> line.contains(PASSWORD));
    }

    // ---- helpers ----

    /** Starts a route from {@code uri}; returns the message of the root cause of the start-up failure. */
    private static String startFailure(String uri) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(route(uri, "invalid", new Recorder()));
            Throwable failure = catchThrowable(context::start);
            assertThat(failure).as("start-up of %s", uri).isNotNull();
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            assertThat(root).as("root cause for %s", uri).isInstanceOf(IllegalArgumentException.class);
            return root.getMessage();
        }
    }
}
