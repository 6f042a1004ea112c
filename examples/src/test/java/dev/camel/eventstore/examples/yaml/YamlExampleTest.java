package dev.camel.eventstore.examples.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.examples.support.EventStoreReader;
import dev.camel.eventstore.examples.support.LogCapture;
import dev.camel.eventstore.examples.support.Positions;
import dev.camel.eventstore.examples.support.RunningMain;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.examples.support.SampleOrders.SampleEvent;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The YAML routes and properties as {@link YamlExample} runs them, against the testkit server. */
class YamlExampleTest {
    private EventStoreTestServer server;
    private LogCapture notifications;

    @BeforeEach
    void start() {
        server = EventStoreTestServer.startDefault();
        notifications = new LogCapture("notifications");
    }

    @AfterEach
    void stop() {
        notifications.close();
        server.close();
    }

    @Test
    void eachOrderEventGetsItsNotificationAndARestartResumes() throws Exception {
        SampleOrders.write(server.connectionString(), SampleOrders.EVENTS);
        String last = positionOfLast("order-1001");
        try (RunningMain app = RunningMain.start(YamlExample.create(server.connectionString()))) {
            Positions.awaitProcessed(app.context(), "order-notifications", last);
        }
        // choice by event type; the filter lets only the order of 149 EUR through to the review log; the payment
        // authorisations and the delivery fall to otherwise, which logs at DEBUG
        assertThat(notifications.lines())
                .containsExactly(
                        "INFO notifications: Order 1001: order confirmation sent",
                        "INFO notifications: Order 1002: order confirmation sent",
                        "INFO notifications.review: "
                                + SampleOrders.EVENTS.get(1).data(),
                        "INFO notifications: Order 1003: order confirmation sent",
                        "WARN notifications: Order 1002: PaymentDeclined (card expired), customer service told",
                        "INFO notifications: Order 1001: shipping notice sent, tracking number 00340434161094042557",
                        "WARN notifications: Order 1002: OrderCancelled (payment declined), customer service told",
                        "INFO notifications: Order 1003: shipping notice sent, tracking number 1Z999AA10123456784");
        // a graceful stop stores the position it reached
        try (EventStoreReader reader = new EventStoreReader(server.connectionString())) {
            assertThat(Positions.atOrAfter(reader.stored("order-notifications"), last))
                    .isTrue();
        }

        // a restart resumes after the stored position: only the new order is notified
        SampleOrders.write(
                server.connectionString(),
                List.of(new SampleEvent(
                        "order-1005",
                        "OrderPlaced",
                        "{\"orderId\":\"1005\",\"customerId\":\"C-40\",\"items\":[],\"total\":12.00}",
                        "{}")));
        try (RunningMain app = RunningMain.start(YamlExample.create(server.connectionString()))) {
            await().until(() -> notifications.lines().size() >= 9);
        }
        assertThat(notifications.lines())
                .hasSize(9)
                .last()
                .isEqualTo("INFO notifications: Order 1005: order confirmation sent");
    }

    private String positionOfLast(String stream) throws Exception {
        try (EventStoreReader reader = new EventStoreReader(server.connectionString())) {
            return reader.positionOfLast(stream);
        }
    }
}
