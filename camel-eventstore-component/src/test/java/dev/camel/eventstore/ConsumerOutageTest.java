package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static dev.camel.eventstore.ResilienceFixture.FAST;
import static dev.camel.eventstore.ResilienceFixture.ROUTE;
import static dev.camel.eventstore.ResilienceFixture.appendOrders;
import static dev.camel.eventstore.ResilienceFixture.awaitAtLeast;
import static dev.camel.eventstore.ResilienceFixture.awaitExactlyOnceInOrder;
import static dev.camel.eventstore.ResilienceFixture.reconnects;
import static dev.camel.eventstore.ResilienceFixture.state;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadStreamOptions;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An outage longer than the client's discovery attempts is survived with a new client, reported by the health
 * check and logged once, with reconnect attempts backing off doubling up to the maximum; a resumable consumer
 * started while the server is down subscribes once it listens. A consumer given a {@code client} bean reads through
 * it, never shuts it down, and stops its route saying so when that client shuts down under it (it cannot make a
 * new one).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerOutageTest {
    @RegisterExtension
    final ResilienceFixture routes = new ResilienceFixture();

    @Test
    void aLongOutageIsReportedLoggedOnceAndSurvivedWithANewClient() throws Exception {
        EventStoreTestServer server = routes.serverWithOrders(100);
        Sink sink = new Sink();
        // the client gives up (and shuts itself down for good) after 2 discovery attempts 100 ms apart
        String connection = server.connectionString() + "&maxDiscoverAttempts=2&discoveryInterval=100";

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(
                    "eventstore:$all?streamNamePrefixes=orders-&connectionString=RAW(" + connection + ")&" + FAST,
                    null,
                    sink);
            await().until(() -> sink.size() == 100 && state(context).equals("LIVE"));
            assertThat(health(context, ROUTE).getState()).isEqualTo(HealthCheck.State.UP);

            server.stop();
            Set<String> reasons = ConcurrentHashMap.newKeySet();
            await().until(() -> {
                HealthCheck.Result result = health(context, ROUTE);
                if (result.getState() == HealthCheck.State.DOWN) {
                    assertThat(result.getDetails()).containsEntry("state", "RECONNECTING");
                    reasons.add(result.getMessage().orElseThrow());
                }
                // outlast the client: wait until the consumer saw its client shut down, and retried after that
                return reasons.stream().anyMatch(r -> r.contains("shut down")) && reconnects(context) >= 4;
            });
            appendOrders(server, 100, 100); // written while the server does not listen
            server.start();

            await().until(() -> health(context, ROUTE).getState() == HealthCheck.State.UP);
            awaitExactlyOnceInOrder(sink, 200, 300);
            assertThat(logs.count(Level.WARN, "lost"))
                    .as("the outage is logged once, not per attempt")
                    .isEqualTo(1);
            assertThat(logs.count(Level.INFO, "re-established")).isEqualTo(1);
            assertThat(logs.messages(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void reconnectAttemptsAgainstAStoppedServerBackOffDoublingUpToTheMaximum() throws Exception {
        EventStoreTestServer server = routes.serverWithOrders(10);
        Sink sink = new Sink();
        // one discovery attempt per client, so that an attempt against the stopped server fails within a few ms
        // and the time between attempts is the backoff delay
        String connection = server.connectionString() + "&maxDiscoverAttempts=1&discoveryInterval=10";
        long initial = 100;
        long max = 800;
        // every reconnect attempt is logged when it fails: the first at WARN, the later ones at DEBUG
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EventStoreConsumer.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> attempts = new ListAppender<>();
        attempts.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                String m = event.getFormattedMessage();
                return m.contains(" lost: ") || m.contains("still unavailable (attempt")
                        ? FilterReply.NEUTRAL
                        : FilterReply.DENY;
            }
        });
        attempts.start();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(attempts);
        try {
            CamelContext context = routes.start(
                    "eventstore:$all?streamNamePrefixes=orders-&connectionString=RAW(" + connection + ")"
                            + "&reconnectInitialDelay=" + initial + "&reconnectMaxDelay=" + max
                            + "&livenessCheckInterval=300",
                    null,
                    sink);
            await().until(() -> sink.size() == 10 && state(context).equals("LIVE"));

            server.stop();
            // eight failed attempts: delays 100, 200, 400, then the cap 800 four times between them; about 4 s
            int observed = 8;
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> attemptTimes(attempts).size() >= observed);
            List<Long> times = attemptTimes(attempts).subList(0, observed);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < times.size(); i++) {
                gaps.add(times.get(i) - times.get(i - 1));
            }
            long cappedTotal = 0;
            int capped = 0;
            for (int attempt = 1; attempt < observed; attempt++) {
                long delay = Math.min(max, initial << (attempt - 1));
                long gap = gaps.get(attempt - 1);
                // the pause after attempt n is at least its delay (the supervisor waits out the full delay): the
                // delays grow; without doubling the gap before the fourth attempt would be ~100 ms, not >= 400
                assertThat(gap).as("gap after attempt %d of %s", attempt, gaps).isGreaterThanOrEqualTo(delay - 2);
                if (delay == max) {
                    cappedTotal += gap;
                    capped++;
                }
            }
            // a gap is its delay plus the next attempt's own time (a refused connection: a few ms, a few hundred on
            // a loaded machine). Had the doubling not stopped at the cap, the four capped gaps would be 800, 1600,
            // 3200 and 6400 ms, on average 3000: an average below twice the cap (1600) shows the cap, and leaves
            // 800 ms of overhead per attempt so that one slow attempt does not fail the test
            assertThat(cappedTotal / capped)
                    .as("average of the capped gaps in %s", gaps)
                    .isLessThan(2 * max);

            server.start();
            awaitAtLeast(sink, 10);
            await().until(() -> state(context).equals("LIVE"));
            appendOrders(server, 10, 10);
            awaitExactlyOnceInOrder(sink, 20, 300);
        } finally {
            logger.detachAppender(attempts);
            logger.setLevel(level);
        }
    }

    /** When each logged reconnect attempt failed, in order. */
    private static List<Long> attemptTimes(ListAppender<ILoggingEvent> attempts) {
        synchronized (attempts) { // AppenderBase appends under this lock
            return attempts.list.stream().map(ILoggingEvent::getTimeStamp).toList();
        }
    }

    @Test
    void aResumableConsumerStartedWhileTheServerIsDownSubscribesOnceItListens() throws Exception {
        EventStoreTestServer server = routes.serverWithOrders(10);
        server.stop();
        Sink sink = new Sink();
        // the clients of the consumer and of its checkpoint store give up for good after 2 attempts
        String connection = server.connectionString() + "&maxDiscoverAttempts=2&discoveryInterval=100";
        CamelContext context = routes.start(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("eventstore:$all?streamNamePrefixes=orders-&connectionString=RAW(" + connection + ")&"
                                        + FAST)
                                .routeId(ROUTE)
                                .resumable("checkpoints")
                                .process(sink::add);
                    }
                },
                Map.of("checkpoints", new EventStoreResumeStrategy()));
        // outlast both clients: the checkpoint could not be read, repeatedly
        await().until(() -> reconnects(context) >= 4);
        assertThat(sink.size()).isZero();

        server.start();
        awaitExactlyOnceInOrder(sink, 10, 10);
        await().until(() -> health(context, ROUTE).getState() == HealthCheck.State.UP);
    }

    @Test
    void aConsumerGivenAClientBeanDeliversInOrderAndLeavesTheClientRunning() throws Exception {
        EventStoreTestServer server = routes.serverWith("orders", 500);
        EventStoreDBClient client = routes.sharedClient(server);
        Sink sink = new Sink();
        // no connectionString at all: the consumer can only read through the bean
        CamelContext context = routes.startWithClient("eventstore:orders?client=#esdb&" + FAST, client, sink);
        awaitAtLeast(sink, 500);
        await().until(() -> state(context).equals("LIVE"));

        TestEvents.append(server, "orders", TYPE, 500, 500);
        awaitExactlyOnceInOrder(sink, 1_000, 300);
        assertThat(health(context, ROUTE).getState()).isEqualTo(HealthCheck.State.UP);

        // the component never shuts a given client down: after the route stops the bean still reads
        context.getRouteController().stopRoute(ROUTE);
        assertThat(client.readStream("orders", ReadStreamOptions.get())
                        .get(10, TimeUnit.SECONDS)
                        .getEvents())
                .hasSize(1_000);
    }

    @Test
    void aClientBeanShutDownUnderTheConsumerStopsTheRouteSayingSo() throws Exception {
        EventStoreTestServer server = routes.serverWith("orders", 10);
        EventStoreDBClient client = routes.sharedClient(server);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.startWithClient("eventstore:orders?client=#esdb&" + FAST, client, sink);
            await().until(() -> sink.size() == 10 && state(context).equals("LIVE"));

            // what the 5.4.5 client does to itself after its discovery attempts; the consumer cannot make a new
            // one from a bean, so it must stop rather than retry a dead client forever
            client.shutdown().get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("route " + ROUTE)
                    .contains("configured EventStoreDB client shut itself down")
                    .contains("connectionString"));
            HealthCheck.Result result = health(context, ROUTE);
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getDetails()).containsEntry("state", "FAILED");
            assertThat(result.getMessage())
                    .hasValueSatisfying(m -> assertThat(m).contains("client shut itself down"));
            sink.assertExactlyOnceInOrder(10);
        }
    }
}
