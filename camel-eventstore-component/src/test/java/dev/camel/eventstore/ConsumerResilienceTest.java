package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The subscription survives server restarts, dropped subscriptions and subscriptions that end without a word,
 * during catch-up and live, with every event delivered exactly once and in order; an outage longer than the
 * client's discovery attempts is survived with a new client, reported by the health check and logged once; a
 * paused server causes no loss; wrong credentials and a tombstoned stream stop the route with a message naming the
 * cause. A consumer given a {@code client} bean reads through it, never shuts it down, and stops its route saying
 * so when that client shuts down under it (it cannot make a new one).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerResilienceTest {
    private static final String TYPE = "Numbered";
    private static final String ROUTE = "resilient";
    /** Small delays so that recovery takes well under a second. */
    private static final String FAST = "reconnectInitialDelay=50&reconnectMaxDelay=200&livenessCheckInterval=300";

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private EventStoreTestServer server(EventStoreTestServer.Builder builder) {
        EventStoreTestServer server = builder.build().start();
        resources.add(server);
        return server;
    }

    private EventStoreTestServer server() {
        return server(EventStoreTestServer.builder());
    }

    /** A route from the URI through the gate (if any) to the sink, started. */
    private CamelContext start(String uri, Gate gate, Sink sink) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri)
                        .routeId(ROUTE)
                        .process(e -> {
                            if (gate != null) {
                                gate.pass(e);
                            }
                        })
                        .process(sink::add);
            }
        });
        resources.add(context::stop);
        if (gate != null) {
            resources.add(gate::release); // closed first: a failed test must not leave the route blocked
        }
        context.start();
        return context;
    }

    /** Holds the route at one event until released: the subscription is then mid-stream, its buffer full. */
    private static final class Gate {
        private final int at;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        Gate(int at) {
            this.at = at;
        }

        void pass(Exchange exchange) throws InterruptedException {
            if (ConsumerFaultSupport.number(exchange) == at && reached.getCount() > 0) {
                reached.countDown();
                if (!released.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate was never released");
                }
            }
        }

        void awaitReached() throws InterruptedException {
            assertThat(reached.await(30, TimeUnit.SECONDS))
                    .as("gate at %d reached", at)
                    .isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    /** Appends numbered events to orders-<k> streams, with an unrelated event between batches. */
    private static void appendOrders(EventStoreTestServer server, int from, int count) {
        for (int n = from; n < from + count; n += 500) {
            int batch = Math.min(500, from + count - n);
            server.append("orders-" + (n / 500), TestEvents.numbered(TYPE, n, batch));
            server.append("other-" + (n / 500), TestEvents.numbered("Unrelated", -1, 1));
        }
    }

    /** Waits until the sink holds at least that many events; a failure says how many it got. */
    private static void awaitAtLeast(Sink sink, int count) {
        await("at least " + count + " events")
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(sink.size()).isGreaterThanOrEqualTo(count));
    }

    /** Waits until the sink holds every event once in order, and nothing more arrives for a while. */
    private static void awaitExactlyOnceInOrder(Sink sink, int count, long quietMillis) {
        awaitAtLeast(sink, count);
        await("exactly events 0.." + (count - 1) + ", once each, in order")
                .during(Duration.ofMillis(quietMillis))
                .atMost(Duration.ofMillis(quietMillis + 5_000))
                .untilAsserted(() -> sink.assertExactlyOnceInOrder(count));
    }

    private static String state(CamelContext context) {
        return String.valueOf(health(context, ROUTE).getDetails().get("state"));
    }

    private static long reconnects(CamelContext context) {
        return ((Number) health(context, ROUTE).getDetails().get("reconnects")).longValue();
    }

    enum Fault {
        RESTART {
            @Override
            void inject(EventStoreTestServer server) {
                server.restart();
            }
        },
        DROP {
            @Override
            void inject(EventStoreTestServer server) {
                server.dropSubscriptions();
            }
        },
        END_SILENTLY {
            @Override
            void inject(EventStoreTestServer server) {
                server.endSubscriptionsSilently();
            }
        };

        abstract void inject(EventStoreTestServer server);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyEventArrivesOnceInOrderAcrossAFaultDuringCatchUpAndAnotherWhileLive(Fault fault) throws Exception {
        EventStoreTestServer server = server();
        int catchUp = 20_000;
        int live = 1_000;
        appendOrders(server, 0, catchUp);
        Gate gate = new Gate(5_000);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(
                    "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&"
                            + FAST,
                    gate,
                    sink);

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
        EventStoreTestServer server = server();
        int batch = 5_000;
        TestEvents.append(server, "orders", TYPE, 0, batch);
        Sink sink = new Sink();
        ScheduledExecutorService completer = Executors.newScheduledThreadPool(2);
        resources.add(completer::shutdownNow);
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // an asynchronous sink: it takes the events in dispatch order and completes them out of order
                from("eventstore:orders?maxInFlight=8&connectionString=" + server.connectionString() + "&" + FAST)
                        .routeId(ROUTE)
                        .process(new AsyncProcessorSupport() {
                            @Override
                            public boolean process(Exchange exchange, AsyncCallback callback) {
                                sink.add(exchange);
                                completer.schedule(
                                        () -> callback.done(false),
                                        ThreadLocalRandom.current().nextInt(0, 3),
                                        TimeUnit.MILLISECONDS);
                                return false;
                            }
                        });
            }
        });
        resources.add(context::stop);
        context.start();
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
    void aLongOutageIsReportedLoggedOnceAndSurvivedWithANewClient() throws Exception {
        EventStoreTestServer server = server();
        appendOrders(server, 0, 100);
        Sink sink = new Sink();
        // the client gives up (and shuts itself down for good) after 2 discovery attempts 100 ms apart
        String connection = server.connectionString() + "&maxDiscoverAttempts=2&discoveryInterval=100";

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(
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

    /** A client created by the test, bound as {@code esdb}; the test shuts it down after the context. */
    private EventStoreDBClient sharedClient(EventStoreTestServer server) {
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        resources.add(() -> client.shutdown().get(10, TimeUnit.SECONDS));
        return client;
    }

    /** A route from {@code uri} to the sink, with the client bound as {@code esdb}, started. */
    private CamelContext startWithClient(String uri, EventStoreDBClient client, Sink sink) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("esdb", client);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE).process(sink::add);
            }
        });
        resources.add(context::stop);
        context.start();
        return context;
    }

    @Test
    void aConsumerGivenAClientBeanDeliversInOrderAndLeavesTheClientRunning() throws Exception {
        EventStoreTestServer server = server();
        TestEvents.append(server, "orders", TYPE, 0, 500);
        EventStoreDBClient client = sharedClient(server);
        Sink sink = new Sink();
        // no connectionString at all: the consumer can only read through the bean
        CamelContext context = startWithClient("eventstore:orders?client=#esdb&" + FAST, client, sink);
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
        EventStoreTestServer server = server();
        TestEvents.append(server, "orders", TYPE, 0, 10);
        EventStoreDBClient client = sharedClient(server);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = startWithClient("eventstore:orders?client=#esdb&" + FAST, client, sink);
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

    @Test
    void reconnectAttemptsAgainstAStoppedServerBackOffDoublingUpToTheMaximum() throws Exception {
        EventStoreTestServer server = server();
        appendOrders(server, 0, 10);
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
            CamelContext context = start(
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
        EventStoreTestServer server = server();
        appendOrders(server, 0, 10);
        server.stop();
        Sink sink = new Sink();
        // the clients of the consumer and of its checkpoint store give up for good after 2 attempts
        String connection = server.connectionString() + "&maxDiscoverAttempts=2&discoveryInterval=100";
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("checkpoints", new EventStoreResumeStrategy());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eventstore:$all?streamNamePrefixes=orders-&connectionString=RAW(" + connection + ")&" + FAST)
                        .routeId(ROUTE)
                        .resumable("checkpoints")
                        .process(sink::add);
            }
        });
        resources.add(context::stop);
        context.start();
        // outlast both clients: the checkpoint could not be read, repeatedly
        await().until(() -> reconnects(context) >= 4);
        assertThat(sink.size()).isZero();

        server.start();
        awaitExactlyOnceInOrder(sink, 10, 10);
        await().until(() -> health(context, ROUTE).getState() == HealthCheck.State.UP);
    }

    @Test
    void aPausedServerWithNothingNewCausesNoReconnect() throws Exception {
        EventStoreTestServer server = server();
        appendOrders(server, 0, 100);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(
                    "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&"
                            + FAST,
                    null,
                    sink);
            await().until(() -> sink.size() == 100 && state(context).equals("LIVE"));

            server.pauseDelivery();
            // five liveness intervals with nothing to deliver: the consumer stays subscribed
            await().during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> consumer(context, ROUTE).getState() == EventStoreConsumerState.LIVE);
            server.resumeDelivery();

            appendOrders(server, 100, 100);
            awaitExactlyOnceInOrder(sink, 200, 300);
            assertThat(reconnects(context)).isZero();
            logs.assertNone(Level.WARN, "lost");
        }
    }

    @Test
    void eventsAppendedWhileTheServerIsPausedArriveOnceInOrder() throws Exception {
        EventStoreTestServer server = server();
        appendOrders(server, 0, 100);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(
                    "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&"
                            + FAST,
                    null,
                    sink);
            await().until(() -> sink.size() == 100 && state(context).equals("LIVE"));

            server.pauseDelivery();
            appendOrders(server, 100, 1_000);
            // several liveness intervals while the log holds events the subscription does not deliver
            await().during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> sink.size() == 100);
            server.resumeDelivery();

            awaitExactlyOnceInOrder(sink, 1_100, 300);
            await().until(() -> state(context).equals("LIVE"));
            // a re-subscription, if the liveness check made one, is logged once
            assertThat(logs.count(Level.WARN, "lost")).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void theRouteStopsPromptlyWhileItWaitsForAServerThatDoesNotAnswer() throws Exception {
        EventStoreTestServer server = server();
        appendOrders(server, 0, 10);
        server.pauseDelivery(); // the server accepts the subscription but sends nothing, not even its confirmation
        Sink sink = new Sink();
        CamelContext context = start(
                "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&" + FAST,
                null,
                sink);
        await().until(() -> server.activeSubscriptions() == 1);

        long started = System.nanoTime();
        context.getRouteController().stopRoute(ROUTE);
        // it used to wait out the 30 s subscribe timeout (cut to 10 s by Camel's forced executor shutdown)
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
        assertThat(routeStatus(context, ROUTE)).isEqualTo(ServiceStatus.Stopped);
        assertThat(sink.received).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "password in the connection string, admin, wrong, , start, UNAUTHENTICATED",
        "password as endpoint options, , , admin:wrong, start, UNAUTHENTICATED",
        "first call reads the head of the log, admin, wrong, , end, UNAUTHENTICATED",
        "no credentials, , , , start, PERMISSION_DENIED"
    })
    void refusedCredentialsStopTheRouteAtOnceNamingTheCause(
            String name, String user, String password, String options, String initialPosition, String code)
            throws Exception {
        EventStoreTestServer server = server(EventStoreTestServer.builder().user("admin", "changeit"));
        appendOrders(server, 0, 10);
        Sink sink = new Sink();
        String uri = "eventstore:$all?connectionString=" + server.connectionString(user, password) + "&initialPosition="
                + initialPosition + "&" + FAST
                + (options == null ? "" : "&username=admin&password=" + options.substring(options.indexOf(':') + 1));

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(uri, null, sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR))
                    .singleElement()
                    .satisfies(m -> assertThat(m).contains(code).doesNotContain("wrong"));
            logs.assertNone(Level.WARN, "lost");
            HealthCheck.Result result = health(context, ROUTE);
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage())
                    .hasValueSatisfying(m -> assertThat(m).contains(code));
            assertThat(result.getDetails()).containsEntry("state", "FAILED");
            assertThat(sink.received).isEmpty();
        }
    }

    @Test
    void credentialsRefusedWhileLiveStopTheRouteInsteadOfReconnecting() throws Exception {
        EventStoreTestServer server = server();
        appendOrders(server, 0, 10);
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = start(
                    "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&"
                            + FAST,
                    null,
                    sink);
            await().until(() -> sink.size() == 10 && state(context).equals("LIVE"));

            // e.g. the user's password was changed on the server
            server.dropSubscriptions(Status.UNAUTHENTICATED.withDescription("Unauthenticated"));

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("UNAUTHENTICATED"));
            logs.assertNone(Level.WARN, "lost");
            assertThat(health(context, ROUTE).getMessage())
                    .hasValueSatisfying(m -> assertThat(m).contains("UNAUTHENTICATED"));
        }
    }

    @Test
    void aStreamTombstonedWhileSubscribedStopsTheRouteNamingTheDeletion() throws Exception {
        EventStoreTestServer server = server();
        TestEvents.append(server, "doomed", TYPE, 0, 10);
        Sink sink = new Sink();
        List<String> otherTypes = new CopyOnWriteArrayList<>();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("eventstore:doomed?connectionString=" + server.connectionString() + "&" + FAST)
                            .routeId(ROUTE)
                            .choice()
                            .when(header(EventStoreConstants.EVENT_TYPE).isEqualTo(TYPE))
                            .process(sink::add)
                            .otherwise()
                            .process(e -> otherTypes.add(
                                    e.getMessage().getHeader(EventStoreConstants.EVENT_TYPE, String.class)));
                }
            });
            resources.add(context::stop);
            context.start();
            await().until(() -> sink.size() == 10 && state(context).equals("LIVE"));

            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            try {
                client.tombstoneStream("doomed").get(10, TimeUnit.SECONDS);
            } finally {
                client.shutdown().get(10, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR))
                    .singleElement()
                    .satisfies(m -> assertThat(m).contains("deleted").contains("doomed"));
            assertThat(health(context, ROUTE).getMessage())
                    .hasValueSatisfying(m -> assertThat(m).contains("deleted"));
            sink.assertExactlyOnceInOrder(10);
            // the real server sends the tombstone record to live subscribers before the error
            assertThat(otherTypes).isSubsetOf("$streamDeleted");
        }
    }

    @Test
    void subscribingToAnAlreadyTombstonedStreamStopsTheRoute() throws Exception {
        EventStoreTestServer server = server();
        TestEvents.append(server, "gone", TYPE, 0, 3);
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        try {
            client.tombstoneStream("gone").get(10, TimeUnit.SECONDS);
        } finally {
            client.shutdown().get(10, TimeUnit.SECONDS);
        }
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context =
                    start("eventstore:gone?connectionString=" + server.connectionString() + "&" + FAST, null, sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> routeStatus(context, ROUTE) == ServiceStatus.Stopped);
            assertThat(logs.messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("deleted"));
            logs.assertNone(Level.WARN, "lost");
            assertThat(sink.received).isEmpty();
        }
    }
}
