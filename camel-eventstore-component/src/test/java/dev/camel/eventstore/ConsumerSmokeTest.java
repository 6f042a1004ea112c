package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ConsumerSmokeTest extends CamelTestSupport {
    static final EventStoreTestServer SERVER = EventStoreTestServer.startDefault();
    final List<String> received = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("eventstore:$all?streamNamePrefixes=orders-&connectionString=" + SERVER.connectionString())
                        .routeId("smoke")
                        .convertBodyTo(String.class)
                        .process(e -> received.add(e.getMessage().getBody(String.class)));
            }
        };
    }

    @Test
    void deliversInOrder() {
        for (int b = 0; b < 10; b++) {
            List<EventData> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(EventDataBuilder.json(
                                "OrderPlaced", ("{\"n\":" + (b * 100 + i) + "}").getBytes(StandardCharsets.UTF_8))
                        .build());
            }
            SERVER.append("orders-" + b, batch);
            SERVER.append("other-" + b, batch.subList(0, 1));
        }
        await().until(() -> received.size() >= 1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(received.get(i)).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(received).hasSize(1000);
    }
}
