package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What the resilience tests share: a route to a {@link Sink} through an optional {@link Gate}, a client bean, the
 * faults the testkit server injects, and waits that say what they got.
 */
final class ResilienceFixture extends RouteFixture {
    static final String ROUTE = "resilient";

    /** Small delays so that recovery takes well under a second. */
    static final String FAST = "reconnectInitialDelay=50&reconnectMaxDelay=200&livenessCheckInterval=300";

    /** A server of this test holding orders 0 to {@code count} - 1 ({@link #appendOrders}). */
    EventStoreTestServer serverWithOrders(int count) {
        EventStoreTestServer server = server();
        appendOrders(server, 0, count);
        return server;
    }

    /** A server of this test whose stream holds the numbered events 0 to {@code count} - 1. */
    EventStoreTestServer serverWith(String stream, int count) {
        EventStoreTestServer server = server();
        TestEvents.append(server, stream, TYPE, 0, count);
        return server;
    }

    /** The orders- streams of $all on the server, with {@link #FAST} recovery. */
    static String ordersUri(EventStoreTestServer server) {
        return "eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString() + "&" + FAST;
    }

    /** A server with its orders, a route from them to a sink, and what the consumer logged since before it started. */
    record Live(EventStoreTestServer server, Sink sink, CamelContext context, LogCapture logs) {
        /**
         * Pauses the server's delivery, runs {@code meanwhile}, then for five liveness intervals ({@link #FAST})
         * checks that {@code holds} stays true; resumes delivery.
         */
        void whilePaused(Runnable meanwhile, Callable<Boolean> holds) {
            server.pauseDelivery();
            try {
                meanwhile.run();
                await().during(Duration.ofMillis(1_500))
                        .atMost(Duration.ofSeconds(5))
                        .until(holds);
            } finally {
                server.resumeDelivery();
            }
        }
    }

    /**
     * A server of this test holding orders 0 to {@code count} - 1 ({@link #serverWithOrders}), and a route from
     * them ({@link #ordersUri}) to a sink, started and live once the sink holds them all; the consumer's logs are
     * captured from before the start until after the test.
     */
    Live startLiveOnOrders(int count) throws Exception {
        LogCapture logs = add(new LogCapture());
        EventStoreTestServer server = serverWithOrders(count);
        Sink sink = new Sink();
        CamelContext context = start(ordersUri(server), null, sink);
        await().until(() -> sink.size() == count && state(context).equals("LIVE"));
        return new Live(server, sink, context, logs);
    }

    /** A route from the URI through the gate (if any) to the sink, started. */
    CamelContext start(String uri, Gate gate, Sink sink) throws Exception {
        CamelContext context = start(new RouteBuilder() {
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
        if (gate != null) {
            add(gate::release); // closed first: a failed test must not leave the route blocked
        }
        return context;
    }

    /** A client created by the test, bound as {@code esdb}; the test shuts it down after the context. */
    EventStoreDBClient sharedClient(EventStoreTestServer server) {
        EventStoreDBClient client =
                EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
        add(() -> client.shutdown().get(10, TimeUnit.SECONDS));
        return client;
    }

    /** A route from {@code uri} to the sink, with the client bound as {@code esdb}, started. */
    CamelContext startWithClient(String uri, EventStoreDBClient client, Sink sink) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("esdb", client);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE).process(sink::add);
            }
        });
        add(context::stop);
        context.start();
        return context;
    }

    /** Holds the route at one event until released: the subscription is then mid-stream, its buffer full. */
    static final class Gate {
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
    static void appendOrders(EventStoreTestServer server, int from, int count) {
        for (int n = from; n < from + count; n += 500) {
            int batch = Math.min(500, from + count - n);
            server.append("orders-" + (n / 500), TestEvents.numbered(TYPE, n, batch));
            server.append("other-" + (n / 500), TestEvents.numbered("Unrelated", -1, 1));
        }
    }

    /** Waits until the sink holds at least that many events; a failure says how many it got. */
    static void awaitAtLeast(Sink sink, int count) {
        await("at least " + count + " events")
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(sink.size()).isGreaterThanOrEqualTo(count));
    }

    /** Waits until the sink holds every event once in order, and nothing more arrives for a while. */
    static void awaitExactlyOnceInOrder(Sink sink, int count, long quietMillis) {
        awaitAtLeast(sink, count);
        await("exactly events 0.." + (count - 1) + ", once each, in order")
                .during(Duration.ofMillis(quietMillis))
                .atMost(Duration.ofMillis(quietMillis + 5_000))
                .untilAsserted(() -> sink.assertExactlyOnceInOrder(count));
    }

    static String state(CamelContext context) {
        return String.valueOf(health(context, ROUTE).getDetails().get("state"));
    }

    static long reconnects(CamelContext context) {
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
}
