package dev.camel.eventstore.examples.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.examples.support.ExampleHarness;
import dev.camel.eventstore.examples.support.Positions;
import dev.camel.eventstore.examples.support.RunningMain;
import dev.camel.eventstore.examples.support.SampleOrders;
import dev.camel.eventstore.examples.support.SampleOrders.SampleEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The YAML routes and properties as {@link YamlExample} runs them, against the testkit server. */
class YamlExampleTest {
    @RegisterExtension
    final ExampleHarness example = new ExampleHarness("notifications");

    @Test
    void eachOrderEventGetsItsNotificationAndARestartResumes() throws Exception {
        SampleOrders.write(example.connectionString(), SampleOrders.EVENTS);
        String last = example.reader().positionOfLast("order-1001");
        try (RunningMain app = RunningMain.start(YamlExample.create(example.connectionString()))) {
            Positions.awaitProcessed(app.context(), "order-notifications", last);
        }
        // choice by event type; the filter lets only the order of 149 EUR through to the review log; the payment
        // authorisations and the delivery fall to otherwise, which logs at DEBUG
        assertThat(example.logged())
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
        assertThat(Positions.atOrAfter(example.reader().stored("order-notifications"), last))
                .isTrue();

        // a restart resumes after the stored position: only the new order is notified
        SampleOrders.write(
                example.connectionString(),
                List.of(new SampleEvent(
                        "order-1005",
                        "OrderPlaced",
                        "{\"orderId\":\"1005\",\"customerId\":\"C-40\",\"items\":[],\"total\":12.00}",
                        "{}")));
        try (RunningMain app = RunningMain.start(YamlExample.create(example.connectionString()))) {
            await().until(() -> example.logged().size() >= 9);
        }
        assertThat(example.logged())
                .hasSize(9)
                .last()
                .isEqualTo("INFO notifications: Order 1005: order confirmation sent");
    }
}
