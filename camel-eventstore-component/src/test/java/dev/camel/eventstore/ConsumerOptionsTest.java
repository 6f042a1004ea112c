package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Every invalid consumer option fails the route's start-up with a message naming the option; secrets never show in
 * what Camel prints; durations take Camel's duration syntax.
 */
class ConsumerOptionsTest extends ConsumerServerTestSupport {
    private static final String PASSWORD = "s3cret";

    /** The server wants credentials: {@link #uri} carries them in its connection string. */
    @Override
    EventStoreTestServer.Builder serverBuilder() {
        return super.serverBuilder().user("admin", PASSWORD);
    }

    /** The connection string without credentials, as a RAW value. */
    private String plain() {
        return "connectionString=RAW(esdb://127.0.0.1:" + server.port() + "?tls=false)";
    }

    @Test
    void aValidConfigurationStartsAndDelivers() throws Exception {
        // the control for the failures below: valid values of the same options start and deliver
        append("control-1", 0, 3);
        Recorder received =
                startRecording(uri("control-1", "maxInFlight=4", "bufferSize=10", "retryMaxAttempts=3"), "valid");
        awaitSize(received, 3);
        assertThat(received.numbers()).containsExactly(0, 1, 2);
    }

    /** Each row: the endpoint's target and options, and what the message of the start-up failure names. */
    @ParameterizedTest(name = "{0}?{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            textBlock =
                    """
            # start positions
            $all     | initialPosition=yesterday                           | initialPosition, 'yesterday'
            $all     | initialPosition=12/x                                | initialPosition
            # a prepare position above the commit position does not exist
            $all     | initialPosition=100/200                             | initialPosition
            orders-1 | initialPosition=-3                                  | initialPosition
            orders-1 | initialPosition=1200/1200                           | initialPosition, $all position
            # filter combinations
            $all     | streamNamePrefixes=orders-&eventTypePrefixes=Order  | streamNamePrefixes, eventTypePrefixes
            $all     | streamNameRegex=orders&eventTypeRegex=Order         | streamNameRegex, eventTypeRegex
            $all     | streamNamePrefixes=orders-&streamNameRegex=orders   | streamNamePrefixes, streamNameRegex
            $all     | eventTypePrefixes=Order&eventTypeRegex=Order        | eventTypePrefixes, eventTypeRegex
            # system types need system events
            $all     | eventTypePrefixes=Order,$metadata                   | eventTypePrefixes, excludeSystemEvents, $metadata
            # invalid regular expressions
            $all     | streamNameRegex=RAW(orders-[0-9)                    | streamNameRegex, orders-[0-9
            $all     | eventTypeRegex=RAW(*Placed)                         | eventTypeRegex, *Placed
            # sizes and counts
            $all     | maxInFlight=0                                       | maxInFlight, 0
            $all     | bufferSize=0                                        | bufferSize
            $all     | retryMaxAttempts=-1                                 | retryMaxAttempts, -1
            $all     | checkpointWindow=0                                  | checkpointWindow
            $all     | checkpointIntervalMultiplier=0                      | checkpointIntervalMultiplier
            $all     | livenessCheckInterval=-1                            | livenessCheckInterval
            # delays, also in Camel's duration syntax
            $all     | retryInitialDelay=1000&retryMaxDelay=999            | retryMaxDelay, 1000 ms
            $all     | retryInitialDelay=0                                 | retryInitialDelay
            $all     | reconnectInitialDelay=2000&reconnectMaxDelay=1000   | reconnectMaxDelay
            $all     | retryInitialDelay=2s&retryMaxDelay=1s               | retryMaxDelay, 2000 ms
            """)
    void anInvalidOptionFailsTheStartNamingIt(String target, String options, String named) throws Exception {
        assertThat(startFailure(uri(target, options)))
                .contains(named.split(", "))
                .doesNotContain(PASSWORD);
    }

    @Test
    void missingConnectionString() throws Exception {
        assertThat(startFailure("eventstore:$all")).contains("connectionString").contains("eventstore:$all");
        assertThat(startFailure("eventstore:orders-1?connectionString=")).contains("connectionString");
    }

    @Test
    void credentials() throws Exception {
        assertThat(startFailure("eventstore:$all?username=admin&" + plain())).contains("username", "password");
        assertThat(startFailure("eventstore:$all?password=" + PASSWORD + "&" + plain()))
                .contains("username", "password")
                .doesNotContain(PASSWORD);
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
            // nothing of the password, anywhere in what Camel reports
            List<String> messages = new ArrayList<>();
            for (Throwable t : startFailureChain("eventstore:$all?connectionString=RAW(" + entry.getKey() + ")")) {
                messages.add(String.valueOf(t.getMessage()));
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
    void aStartPositionInsideARecordStopsTheRouteWithTheServersReason() throws Exception {
        // well-formed, so only the server can tell: the first record of the log starts at 128, 129 is inside it
        try (LogCapture logs = new LogCapture()) {
            Recorder received = startRecording(uri("$all", "initialPosition=129/129"), "inside");
            EventStoreConsumer consumer = consumer("inside");
            await().atMost(WAIT).until(() -> context.getRouteController()
                    .getRouteStatus("inside")
                    .isStopped());
            assertThat(consumer.getState()).isEqualTo(EventStoreConsumerState.FAILED);
            assertThat(received).isEmpty();
            context.stop();
            assertThat(logs.messages(Level.ERROR))
                    .singleElement()
                    .asString()
                    .contains("route inside")
                    .contains("Trying to read from an invalid position.");
        }
    }

    @Test
    void durationsAcceptCamelsSyntax() throws Exception {
        Recorder received = startRecording(
                uri(
                        "durations-1",
                        "retryInitialDelay=2s",
                        "retryMaxDelay=1m30s",
                        "reconnectInitialDelay=250ms",
                        "reconnectMaxDelay=1m",
                        "livenessCheckInterval=1500"),
                "durations");
        EventStoreConfiguration c =
                ((EventStoreEndpoint) context.getRoute("durations").getEndpoint()).getConfiguration();
        assertThat(c.getRetryInitialDelay()).isEqualTo(2_000);
        assertThat(c.getRetryMaxDelay()).isEqualTo(90_000);
        assertThat(c.getReconnectInitialDelay()).isEqualTo(250);
        assertThat(c.getReconnectMaxDelay()).isEqualTo(60_000);
        // a plain number is milliseconds
        assertThat(c.getLivenessCheckInterval()).isEqualTo(1_500);

        append("durations-1", 0, 1);
        awaitSize(received, 1);
        assertThat(received.numbers()).containsExactly(0);
    }

    @Test
    void systemTypePrefixesAreAllowedWithSystemEvents() throws Exception {
        // without system events they fail the start-up (see above); with them, the seeded $metadata events arrive
        Recorder received =
                startRecording(uri("$all", "eventTypePrefixes=$metadata", "excludeSystemEvents=false"), "system");
        awaitSize(received, 2);
        assertThat(received)
                .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                .startsWith("$$$scavenges", "$$$stats-127.0.0.1:2113");
    }

    @Test
    void printedUrisAndLogsMaskConnectionStringAndPassword() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            append("secrets-1", 0, 1);
            Recorder inString = recording(uri("secrets-1"), "in-string");
            Recorder asOptions = startRecording(
                    "eventstore:secrets-1?username=admin&password=" + PASSWORD + "&" + plain(), "as-options");
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
            context.stop();
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
        List<Throwable> chain = startFailureChain(uri);
        Throwable root = chain.get(chain.size() - 1);
        assertThat(root).as("root cause for %s", uri).isInstanceOf(IllegalArgumentException.class);
        return root.getMessage();
    }

    /** Starts a route from {@code uri}; returns the start-up failure and its causes, outermost first. */
    private static List<Throwable> startFailureChain(String uri) throws Exception {
        try (DefaultCamelContext failing = new DefaultCamelContext()) {
            failing.addRoutes(route(uri, "invalid", new Recorder()));
            Throwable failure = catchThrowable(failing::start);
            assertThat(failure).as("start-up of %s", uri).isNotNull();
            List<Throwable> chain = new ArrayList<>();
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                chain.add(t);
            }
            return chain;
        }
    }
}
