package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.consumer;
import static dev.camel.eventstore.ConsumerFaultSupport.health;
import static dev.camel.eventstore.ConsumerFaultSupport.number;
import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static dev.camel.eventstore.ConsumerFaultSupport.routeStatus;
import static dev.camel.eventstore.TestEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.camel.eventstore.ConsumerFaultSupport.LogCapture;
import dev.camel.eventstore.ConsumerFaultSupport.Sink;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

/**
 * When a failed exchange stops the route instead of being retried (retryMaxAttempts reached,
 * failedExchangeAction=STOP, an unprocessable event): the event is not passed, the health check says why, and it is
 * delivered again when the route starts.
 */
class ConsumerStopOnFailureTest extends ConsumerFailureTestSupport {
    @Test
    void retryMaxAttemptsReachedStopsTheRouteWithoutPassingTheFailedEvent() throws Exception {
        String prefix = SERVER.newStream("exhausted") + "-";
        TestEvents.append(SERVER.server(), prefix + "a", TYPE, 0, 3);
        TestEvents.append(SERVER.server(), prefix + "b", TYPE, 3, 3);
        AtomicInteger attempts = new AtomicInteger();
        List<String> failedAt = new CopyOnWriteArrayList<>();
        Sink sink = new Sink();

        try (LogCapture logs = new LogCapture()) {
            CamelContext context = routes.start(route(
                    SERVER.uri(
                            "$all",
                            "streamNamePrefixes=" + prefix
                                    + "&retryInitialDelay=50&retryMaxDelay=100&retryMaxAttempts=3"),
                    "exhausted",
                    e -> {
                        if (number(e) == 2) {
                            attempts.incrementAndGet();
                            failedAt.add(e.getMessage().getHeader(EventStoreConstants.POSITION, String.class));
                            throw new IllegalStateException("event 2 always fails");
                        }
                    },
                    sink));
            EventStoreConsumer consumer = consumer(context, "exhausted");

            await().until(() -> routeStatus(context, "exhausted") == ServiceStatus.Stopped);
            assertThat(attempts).hasValue(3);
            assertThat(failedAt).containsOnly(failedAt.get(0));
            SubscriptionPosition failed = SubscriptionPosition.parse(failedAt.get(0), true);
            assertThat(sink.received).containsExactly(0, 1);
            assertThat(consumer.getProcessedPosition()).isNotNull().isLessThan(failed);

            HealthCheck.Result result = health(context, "exhausted");
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage())
                    .hasValueSatisfying(
                            m -> assertThat(m).contains("event at " + failed).contains("3 times"));
            assertThat(result.getDetails())
                    .containsEntry("state", "FAILED")
                    .containsEntry(
                            "position.processed",
                            consumer.getProcessedPosition().toString());
            assertThat(logs.messages(Level.ERROR)).singleElement().satisfies(m -> assertThat(m)
                    .contains("Stopping route exhausted")
                    .contains("event at " + failed));
        }
    }

    @Test
    void stopActionStopsAtOnceAndTheEventIsDeliveredAgainWhenTheRouteStarts() throws Exception {
        EventTwoFails failing = new EventTwoFails("stop", 6, () -> new IllegalStateException("event 2 fails"));
        CamelContext context = failing.startResumable("failedExchangeAction=STOP&retryInitialDelay=50", b -> {});

        await().until(() -> routeStatus(context, "stop") == ServiceStatus.Stopped);
        failing.assertHeldAtEventTwo(context);
        assertThat(health(context, "stop").getMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("event at 2 failed"));
        failing.checkpoints.flush();
        assertThat(failing.checkpoints.storedPosition("stop")).isEqualTo(SubscriptionPosition.ofRevision(1));

        // fixed and started again: it resumes with the failed event, and the position moves on past it
        failing.fix();
        context.getRouteController().startRoute("stop");
        // (Camel creates a new consumer when a route starts again)
        EventStoreConsumer restarted = consumer(context, "stop");
        await().until(() -> failing.sink.size() == 6);
        failing.sink.assertExactlyOnceInOrder(6);
        assertThat(failing.attempts).hasValue(2);
        await().until(() -> SubscriptionPosition.ofRevision(5).equals(restarted.getProcessedPosition()));
        // the health check is the new consumer's, not the failed one's
        await().until(() -> health(context, "stop").getState() == HealthCheck.State.UP);
        assertThat(health(context, "stop").getDetails()).containsEntry("position.processed", "5");
    }

    @Test
    void anUnprocessableEventStopsTheRouteAtOnceEvenWhenRetryingForever() throws Exception {
        EventTwoFails failing = new EventTwoFails(
                "unprocessable",
                4,
                () -> new UnprocessableEventException(
                        "too large for the sink", new IllegalStateException("limit 1 MiB")));

        // RETRY with no limit: only the kind of failure stops it
        CamelContext context = failing.start("retryInitialDelay=50&retryMaxAttempts=0");

        await().until(() -> routeStatus(context, "unprocessable") == ServiceStatus.Stopped);
        failing.assertHeldAtEventTwo(context);
        assertThat(health(context, "unprocessable").getDetails()).containsEntry("state", "FAILED");
        assertThat(health(context, "unprocessable").getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("event at 2 failed and was not handled")
                .contains("UnprocessableEventException: too large for the sink")
                .contains("retrying cannot fix it"));
    }
}
