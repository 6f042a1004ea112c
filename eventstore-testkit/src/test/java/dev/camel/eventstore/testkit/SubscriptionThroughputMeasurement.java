package dev.camel.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The figure docs/testkit.md states: how fast the real client catches up from the testkit server with a no-op
 * listener. A measurement, not a test: run it with
 *
 * <pre>
 * ./mvnw -pl eventstore-testkit test -Dtest=SubscriptionThroughputMeasurement -Dtestkit.measure=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "testkit.measure", matches = "true")
class SubscriptionThroughputMeasurement {
    private static final int EVENTS = Integer.getInteger("testkit.measure.events", 1_000_000);
    /** Size of each event's JSON data; 0 keeps a small ~70 byte order event. */
    private static final int DATA_BYTES = Integer.getInteger("testkit.measure.dataBytes", 0);

    private static final int WARMUP_ROUNDS = 2;
    private static final int MEASURED_ROUNDS = 5;

    @Test
    void catchUpRateOfARawClientSubscription() throws Exception {
        try (EventStoreTestServer server =
                EventStoreTestServer.builder().seedSystemEvents(false).build().start()) {
            String order = "{\"orderId\":\"o-12345\",\"amount\":42.5,\"currency\":\"EUR\",\"customer\":\"c-1\"";
            if (DATA_BYTES > order.length() + 12) {
                order += ",\"note\":\"" + "x".repeat(DATA_BYTES - order.length() - 11) + "\"";
            }
            byte[] data = (order + "}").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < EVENTS / 100; i++) {
                List<EventData> batch = new ArrayList<>(100);
                for (int j = 0; j < 100; j++) {
                    batch.add(EventDataBuilder.json("OrderPlaced", data).build());
                }
                server.append("order-" + (i % 1000), batch);
            }
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            try {
                for (int round = 0; round < WARMUP_ROUNDS; round++) {
                    catchUp(client);
                }
                double[] rates = new double[MEASURED_ROUNDS];
                for (int round = 0; round < MEASURED_ROUNDS; round++) {
                    rates[round] = catchUp(client);
                }
                Arrays.sort(rates);
                System.out.printf(
                        "catch-up of %,d events (%d B of data each), %d runs after %d warm-up runs:"
                                + " median %,.0f events/s, min %,.0f, max %,.0f%n",
                        EVENTS,
                        data.length,
                        MEASURED_ROUNDS,
                        WARMUP_ROUNDS,
                        rates[MEASURED_ROUNDS / 2],
                        rates[0],
                        rates[MEASURED_ROUNDS - 1]);
            } finally {
                client.shutdown();
            }
        }
    }

    private static double catchUp(EventStoreDBClient client) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime();
        Subscription subscription = client.subscribeToAll(
                        new SubscriptionListener() {
                            @Override
                            public void onEvent(Subscription subscription, ResolvedEvent event) {
                                if (received.incrementAndGet() == EVENTS) {
                                    done.countDown();
                                }
                            }
                        },
                        SubscribeToAllOptions.get().fromStart())
                .get();
        assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
        long nanos = System.nanoTime() - start;
        subscription.stop();
        return EVENTS * 1e9 / nanos;
    }
}
