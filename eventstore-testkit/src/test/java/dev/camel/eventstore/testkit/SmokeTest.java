package dev.camel.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.*;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void appendReadSubscribe() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            EventStoreDBClient client =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            WriteResult w = client.appendToStream(
                            "orders-1",
                            EventDataBuilder.json("OrderPlaced", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                                    .build())
                    .get();
            assertThat(w.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
            ReadResult r =
                    client.readStream("orders-1", ReadStreamOptions.get()).get();
            assertThat(r.getEvents()).hasSize(1);
            List<ResolvedEvent> got = new CopyOnWriteArrayList<>();
            client.subscribeToAll(
                            new SubscriptionListener() {
                                @Override
                                public void onEvent(Subscription subscription, ResolvedEvent event) {
                                    got.add(event);
                                }
                            },
                            SubscribeToAllOptions.get().fromStart())
                    .get();
            client.appendToStream(
                            "orders-2",
                            EventDataBuilder.json("OrderPlaced", "{\"a\":2}".getBytes(StandardCharsets.UTF_8))
                                    .build())
                    .get();
            await().until(() -> got.size() == 4);
            client.shutdown();
        }
    }

    @Test
    void countsOneConnectionPerClientUntilItShutsDown() throws Exception {
        try (EventStoreTestServer server = EventStoreTestServer.startDefault()) {
            EventStoreDBClient first =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            EventStoreDBClient second =
                    EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
            for (EventStoreDBClient client : List.of(first, second)) {
                client.readAll(ReadAllOptions.get().maxCount(1)).get();
            }
            await().until(() -> server.openConnections() == 2);
            first.shutdown().get();
            await().until(() -> server.openConnections() == 1);
            server.stop();
            await().until(() -> server.openConnections() == 0);
            second.shutdown().get();
        }
    }
}
