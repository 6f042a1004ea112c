package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Two routes reading from the same endpoint URI, as two connectors with the same source settings do: both start,
 * each gets every event in order through its own subscription, and each reports its own health.
 */
class ConsumerSharedEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void twoRoutesOnTheSameEndpointEachReceiveEveryEvent() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                DefaultCamelContext context = new DefaultCamelContext()) {
            String uri = "eventstore:$all?initialPosition=earliest&streamNamePrefixes=shared-&connectionString=RAW("
                    + server.connectionString() + ")";
            Map<String, List<Integer>> received = new ConcurrentHashMap<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String id : List.of("first", "second")) {
                        List<Integer> numbers = received.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
                        from(uri)
                                .routeId(id)
                                .process(e -> numbers.add(
                                        TestEvents.number(e.getMessage().getBody(byte[].class))));
                    }
                }
            });
            context.start();

            assertThat(context.getRoute("first").getEndpoint())
                    .isSameAs(context.getRoute("second").getEndpoint());
            TestEvents.append(server, "shared-1", "Numbered", 0, 20);
            await().atMost(WAIT)
                    .until(() -> received.get("first").size() >= 20
                            && received.get("second").size() >= 20);
            List<Integer> all = IntStream.range(0, 20).boxed().toList();
            assertThat(received.get("first")).isEqualTo(all);
            assertThat(received.get("second")).isEqualTo(all);

            await().atMost(WAIT).untilAsserted(() -> assertThat(HealthCheckHelper.invoke(context, "full"))
                    .filteredOn(r -> r.getCheck().getId().startsWith("consumer:eventstore-"))
                    .extracting(r -> r.getCheck().getId() + "=" + r.getState())
                    .containsExactlyInAnyOrder(
                            "consumer:eventstore-first=" + HealthCheck.State.UP,
                            "consumer:eventstore-second=" + HealthCheck.State.UP));
        }
    }
}
