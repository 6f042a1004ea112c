package dev.camel.eventstore.connectors.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The per-connector meters, scraped as Prometheus text, follow what the connector does. */
class ConnectorMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<EventData> events(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(n -> (EventData)
                        EventDataBuilder.json("OrderPlaced", ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
                                .build())
                .toList();
    }

    @Test
    void deliveredErrorsPositionsLagAndCaughtUp() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault();
                CamelContext context = new DefaultCamelContext();
                HttpTestReceiver receiver = HttpTestReceiver.http()) {
            server.append("orders-1", events(0, 5));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind("prometheus", registry);
            context.addRoutes(new ConnectorTemplates());
            context.start();
            // the first request is refused: one error
            receiver.answerWith(n -> n == 1 ? 503 : 200);
            TemplatedRouteBuilder.builder(context, ConnectorTemplates.HTTP)
                    .routeId("metered")
                    .parameter("connectionString", server.connectionString())
                    .parameter("initialPosition", "earliest")
                    .parameter("url", receiver.url("/in"))
                    .parameter("checkpointInterval", "1000")
                    .parameter("retryInitialDelay", "10")
                    .add();
            ConnectorMetrics.register(context, null);

            await().atMost(WAIT)
                    .until(() -> value(registry, "eventstore_connector_caught_up") == 1.0
                            && value(registry, "eventstore_connector_events_delivered_total") == 5.0);
            assertThat(value(registry, "eventstore_connector_errors_total")).isEqualTo(1.0);
            // the newest event in $all is the claim the connector appended to its checkpoint stream when it started:
            // a system event its subscription passes over
            long head = server.lastPosition();
            await().atMost(WAIT).until(() -> value(registry, "eventstore_connector_position") == head);
            await().atMost(WAIT).until(() -> value(registry, "eventstore_connector_lag") == 0);
            // written within the checkpoint interval (and then the checkpoint event itself is the head of $all)
            await().atMost(WAIT).until(() -> value(registry, "eventstore_connector_checkpoint_position") == head);

            // while the sink refuses, events wait and the lag grows
            receiver.answerWith(n -> 503);
            server.append("orders-1", events(5, 3));
            long newHead = server.lastPosition();
            await().atMost(WAIT).until(() -> value(registry, "eventstore_connector_errors_total") >= 3.0);
            // the head is read at most every few seconds
            await().atMost(WAIT).until(() -> value(registry, "eventstore_connector_lag") >= newHead - head);
            assertThat(value(registry, "eventstore_connector_position")).isEqualTo(head);
            assertThat(registry.scrape()).doesNotContain("password");
        }
    }

    private static double value(PrometheusMeterRegistry registry, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{connector=\"metered\"[^}]*} (\\S+)$")
                .matcher(registry.scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
