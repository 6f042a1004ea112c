package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.consumer;
import static dev.camel.eventstore.connectors.Connectors.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.EventStoreConstants;
import dev.camel.eventstore.EventStoreConsumerState;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sink that fails: the event is retried, then dead-lettered and the connector moves on, or without a dead-letter
 * endpoint the connector stops after retryMaxAttempts with its checkpoint before the event.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectorRetryTest extends MockSinkConnectorTest {
    // ---- failures ----

    @Test
    void aFailingSinkIsRetriedThenTheEventIsDeadLetteredAndTheConnectorMovesOn() throws Exception {
        CamelContext context = contextAfterOrders("c11-", 0, 4);
        MockEndpoint sink = rejectingEventOne(context, "mock:c11");
        mockConnector(
                context, "c11", "streamNamePrefixes", "c11-", "retryMaxAttempts", "3", "deadLetterUri", "mock:c11-dlq");
        MockEndpoint dlq = context.getEndpoint("mock:c11-dlq", MockEndpoint.class);
        await().atMost(WAIT).until(() -> received(sink).contains(3));

        // event 1 three times, and nothing after it before its last attempt
        assertThat(received(sink)).containsExactly(0, 1, 1, 1, 2, 3);
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader(EventStoreConstants.DELIVERY_ATTEMPT))
                .containsExactly(1, 1, 2, 3, 1, 1);
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        Exchange dead = dlq.getReceivedExchanges().get(0);
        assertThat(number(dead.getMessage().getBody(byte[].class))).isEqualTo(1);
        assertThat(dead.getMessage().getHeader("esdb-error")).isEqualTo("sink rejected event 1");
        assertThat(dead.getMessage().getHeader("esdb-error-type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.getMessage().getHeader("esdb-record-stream-id")).isEqualTo("c11-orders-1");
        assertThat(dead.getMessage().getHeader("esdb-record-stream-revision")).isEqualTo("1");
        assertThat(consumer(context, "c11").getState())
                .isIn(EventStoreConsumerState.CATCHING_UP, EventStoreConsumerState.LIVE);
    }

    @Test
    void withoutADeadLetterEndpointTheRouteStopsAfterRetryMaxAttempts() throws Exception {
        CamelContext context = contextAfterOrders("c12-", 0, 4);
        MockEndpoint sink = rejectingEventOne(context, "mock:c12");
        mockConnector(context, "c12", "streamNamePrefixes", "c12-", "retryMaxAttempts", "2");
        String reason = awaitFailed(context, "c12");

        assertThat(received(sink)).containsExactly(0, 1, 1);
        SubscriptionPosition eventOne = Connectors.positionOf(client(), "c12-orders-1", 1);
        assertThat(reason)
                .contains("the exchange of the event at " + eventOne + " failed 2 times")
                .contains("sink rejected event 1");
        // event 1 was never processed: the stored checkpoint is event 0's position, so a restart retries event 1
        assertThat(SubscriptionPosition.parse(Connectors.storedCheckpoint(client(), "camel-checkpoint-c12"), true))
                .isEqualTo(Connectors.positionOf(client(), "c12-orders-1", 0));
    }
}
