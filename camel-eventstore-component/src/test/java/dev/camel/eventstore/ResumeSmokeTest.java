package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ResumeSmokeTest {
    @Test
    void resumesAfterRestart() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            List<String> received = new CopyOnWriteArrayList<>();
            append(server, 0, 100);
            CamelContext first = context(server, received);
            first.start();
            await().until(() -> received.size() == 100);
            first.stop();
            append(server, 100, 50);
            CamelContext second = context(server, received);
            second.start();
            await().until(() -> received.size() >= 150);
            second.stop();
            assertThat(received).hasSize(150);
            for (int i = 0; i < 150; i++) assertThat(received.get(i)).isEqualTo("{\"n\":" + i + "}");
        }
    }

    static void append(EventStoreTestServer server, int from, int n) {
        List<EventData> batch = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            batch.add(EventDataBuilder.json("OrderPlaced", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
                    .build());
        }
        server.append("orders-1", batch);
    }

    static CamelContext context(EventStoreTestServer server, List<String> received) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("checkpoints", new EventStoreResumeStrategy());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eventstore:$all?streamNamePrefixes=orders-&connectionString=" + server.connectionString())
                        .routeId("resume-smoke")
                        .resumable("checkpoints")
                        .convertBodyTo(String.class)
                        .process(e -> received.add(e.getMessage().getBody(String.class)));
            }
        });
        return context;
    }
}
