package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.testkit.support.LogCapture;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

/**
 * Fencing: two consumers with the same checkpoint key, as a deposed replica and the one elected after it. The later
 * one claims the checkpoint when it loads it; from then on every write of the earlier one is refused, and the
 * earlier one stops by itself, as a standby, without ever moving the checkpoint.
 */
class ResumeStrategyFencingTest extends ResumeStrategyTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aConsumerWhoseCheckpointAnotherClaimedStopsAndNeverWritesAgain() throws Exception {
        Sink deposed = new Sink();
        CamelContext first = start(strategy(1, NEVER), route("orders", "orders-1", deposed));
        TestEvents.append(server, "orders-1", "OrderPlaced", 0, 5);
        await().atMost(WAIT).until(() -> "4".equals(checkpoints.latest("camel-checkpoint-orders")));

        Sink elected = new Sink();
        try (LogCapture log = new LogCapture("dev.camel.eventstore")) {
            CamelContext second = start(strategy(1, NEVER), route("orders", "orders-1", elected));
            // the second resumes after the first one's checkpoint, having claimed it
            await().atMost(WAIT)
                    .until(() -> checkpoints.claims("camel-checkpoint-orders").size() == 2);

            TestEvents.append(server, "orders-1", "OrderPlaced", 5, 3);
            await().atMost(WAIT).until(() -> elected.numbers.equals(range(5, 8)));
            // the first delivered them too (it has not been told to stop), but its checkpoint is refused
            await().atMost(WAIT)
                    .until(() -> first.getRouteController().getRouteStatus("orders") == ServiceStatus.Stopped);
            EventStoreConsumer consumer =
                    (EventStoreConsumer) first.getRoute("orders").getConsumer();
            assertThat(consumer.getState()).isEqualTo(EventStoreConsumerState.STANDBY);
            assertThat(log.messages())
                    .anyMatch(
                            m -> m.contains("another consumer wrote to the checkpoint stream 'camel-checkpoint-orders'")
                                    && m.contains("another replica runs this consumer"));
            HealthCheck.Result health = HealthCheckHelper.invoke(first).stream()
                    .filter(r -> r.getCheck().getId().equals("consumer:eventstore-orders"))
                    .findFirst()
                    .orElseThrow();
            assertThat(health.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(health.getDetails()).containsEntry("state", "STANDBY");

            // every checkpoint since the claim is the second consumer's: 5, 6 and 7 in turn, never back
            await().atMost(WAIT).until(() -> "7".equals(checkpoints.latest("camel-checkpoint-orders")));
            TestEvents.append(server, "orders-1", "OrderPlaced", 8, 2);
            await().atMost(WAIT).until(() -> "9".equals(checkpoints.latest("camel-checkpoint-orders")));
            assertThat(deposed.numbers).doesNotContain(8, 9);
            assertThat(checkpoints.read("camel-checkpoint-orders"))
                    .extracting(CheckpointStreams.Stored::position)
                    .isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
            assertThat(second.getRouteController().getRouteStatus("orders")).isEqualTo(ServiceStatus.Started);
        }
    }
}
