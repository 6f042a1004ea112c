package dev.camel.eventstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.connectors.ConnectorTemplates;
import dev.camel.eventstore.connectors.Connectors;
import dev.camel.eventstore.connectors.ServerWithClient;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenarios 4b and 4c: the HTTP connector's sink refuses one event every time, until the retries are exhausted
 * ({@code retryMaxAttempts}). Without a dead-letter endpoint the connector stops, health DOWN with the reason and one
 * ERROR line naming the event and the cause, and delivers the event first when started again; with one, the event
 * goes there and the connector moves on. Nothing is skipped silently. The sink's outages, which retries outlast:
 * {@link HttpSinkOutageTest}.
 */
class HttpSinkRetriesExhaustedTest {
    /** Events written, over {@link #STREAMS} streams, {@link #BATCH} consecutive events of one stream in $all. */
    private static final int EVENTS = 60;

    private static final int STREAMS = 3;
    private static final int BATCH = 5;
    /** The event the sink refuses. */
    private static final int POISON = 23;

    private static final long CHECKPOINT_INTERVAL = 200;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ServerWithClient EVENT_STORE = new ServerWithClient();

    /** The events written, by {@code stream@revision}, and the one the sink refuses. */
    private record Poisoned(Map<String, Long> positions, String stream, long revision) {
        String event() {
            return stream + "@" + revision;
        }

        long commit() {
            return positions.get(event());
        }

        /** Its data, which the sink recognises it by. */
        String body() {
            return "{\"n\":" + POISON + "}";
        }
    }

    @Test
    void exhaustedRetriesWithoutADeadLetterEndpointStopTheConnectorOnceAndItDeliversTheEventWhenStartedAgain()
            throws Exception {
        String id = "http-exhausted";
        String prefix = "exhausted-";
        Poisoned poison = append(prefix);
        Map<String, Long> positions = poison.positions();
        String poisoned = poison.event();
        long poisonCommit = poison.commit();
        boolean[] refusing = {true};
        HttpLedger ledger = new HttpLedger();
        try (HttpTestReceiver receiver = HttpTestReceiver.http();
                CamelContext camel = Connectors.context();
                CapturedLog log = new CapturedLog()) {
            ledger.serve(receiver, request -> refusing[0] && request.bodyText().equals(poison.body()) ? 500 : 200);
            Instant started = Instant.now();
            Connectors.add(camel, ConnectorTemplates.HTTP, id, exhaustingConnector(prefix, receiver, null));

            await().atMost(WAIT)
                    .until(() -> camel.getRouteController().getRouteStatus(id).isStopped());
            Instant stopped = Instant.now();
            // nothing after the event was sent, nothing skipped, the event tried retryMaxAttempts times
            assertThat(ledger.attemptsOf(poisoned)).hasSize(3).noneMatch(HttpLedger.Attempt::accepted);
            assertThat(ledger.accepted())
                    .extracting(HttpLedger.Attempt::commit)
                    .isSorted()
                    .containsExactlyElementsOf(positions.values().stream()
                            .filter(c -> c < poisonCommit)
                            .toList());
            long lastBefore = positions.values().stream()
                    .filter(c -> c < poisonCommit)
                    .mapToLong(Long::longValue)
                    .max()
                    .orElseThrow();
            assertThat(CheckpointHistory.latest(EVENT_STORE.client(), id).commit())
                    .isGreaterThanOrEqualTo(lastBefore)
                    .isLessThan(poisonCommit);

            HealthCheck.Result health = Connectors.health(camel, id);
            assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m)
                    .contains(String.valueOf(poisonCommit))
                    .contains("failed 3 times")
                    .contains("answered 500"));
            // one line says it all; the failed attempts before it are one warning
            List<String> errors = log.errors();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0))
                    .contains(id)
                    .contains(String.valueOf(poisonCommit))
                    .contains("answered 500");
            List<String> warnings = log.warningsAndErrors();
            assertThat(warnings).hasSize(2);

            // the sink fixed, the connector started again: the event first, then the rest, each once
            refusing[0] = false;
            camel.getRouteController().startRoute(id);
            await().atMost(WAIT).until(() -> ledger.distinctAccepted() == EVENTS);
            assertThat(ledger.duplicates()).isZero();
            assertThat(ledger.accepted())
                    .extracting(HttpLedger.Attempt::commit)
                    .containsExactlyElementsOf(positions.values());
            await().atMost(WAIT).until(() -> Connectors.health(camel, id).getState() == HealthCheck.State.UP);

            Results.record(
                    "http-sink-retries-exhausted",
                    "%d events, event %s answered 500 every time, retryMaxAttempts 3, no deadLetterUri: connector"
                            + " stopped %d ms after it started, after %d events delivered and 0 after the failing one;"
                            + " checkpoint left before it; health DOWN (\"%s\"); %d ERROR line, %d WARN line; started"
                            + " again, the event delivered first and all %d delivered once (0 lost, 0 duplicated)",
                    EVENTS,
                    poisoned,
                    Duration.between(started, stopped).toMillis(),
                    positions.values().stream().filter(c -> c < poisonCommit).count(),
                    health.getMessage().orElse(""),
                    errors.size(),
                    warnings.size() - errors.size(),
                    EVENTS);
        }
    }

    @Test
    void exhaustedRetriesWithADeadLetterEndpointSendTheEventThereAndTheConnectorMovesOn() throws Exception {
        String id = "http-dead-letter";
        String prefix = "dead-letter-";
        Poisoned poison = append(prefix);
        Map<String, Long> positions = poison.positions();
        String poisoned = poison.event();
        HttpLedger ledger = new HttpLedger();
        List<Exchange> deadLetters = new CopyOnWriteArrayList<>();
        try (HttpTestReceiver receiver = HttpTestReceiver.http();
                CamelContext camel = Connectors.context();
                CapturedLog log = new CapturedLog()) {
            ledger.serve(receiver, request -> request.bodyText().equals(poison.body()) ? 500 : 200);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:dead-letters").routeId("dead-letters").process(deadLetters::add);
                }
            });
            Connectors.add(
                    camel, ConnectorTemplates.HTTP, id, exhaustingConnector(prefix, receiver, "direct:dead-letters"));

            await().atMost(WAIT).until(() -> ledger.distinctAccepted() == EVENTS - 1);
            camel.getRouteController().stopRoute(id);

            assertThat(deadLetters).hasSize(1);
            Exchange dead = deadLetters.get(0);
            assertThat(dead.getMessage().getHeader("esdb-record-stream-id") + "@"
                            + dead.getMessage().getHeader("esdb-record-stream-revision"))
                    .isEqualTo(poisoned);
            assertThat(dead.getMessage().getHeader("esdb-error", String.class)).contains("answered 500");
            assertThat(dead.getMessage().getHeader("esdb-error-type", String.class))
                    .endsWith("HttpDeliveryException");
            assertThat(dead.getMessage().getBody(String.class)).isEqualTo(poison.body());
            // every other event delivered once, in log order; the failing one tried 3 times, never skipped silently
            assertThat(ledger.attemptsOf(poisoned)).hasSize(3).noneMatch(HttpLedger.Attempt::accepted);
            assertThat(ledger.accepted())
                    .extracting(HttpLedger.Attempt::commit)
                    .containsExactlyElementsOf(positions.entrySet().stream()
                            .filter(e -> !e.getKey().equals(poisoned))
                            .map(Map.Entry::getValue)
                            .toList());
            long last =
                    positions.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            // at or after the last event: the server's filter checkpoints may carry it past events of other streams
            assertThat(CheckpointHistory.latest(EVENT_STORE.client(), id).commit())
                    .isGreaterThanOrEqualTo(last);
            assertThat(log.errors()).isEmpty();
            List<String> warnings = log.warningsAndErrors();
            assertThat(warnings).hasSize(2);
            assertThat(warnings).anySatisfy(w -> assertThat(w)
                    .contains(id)
                    .contains("event " + poison.revision() + " of " + poison.stream())
                    .contains("sent to direct:dead-letters after 3 attempt(s)")
                    .contains("answered 500"));

            Results.record(
                    "http-sink-dead-letter",
                    "%d events, event %s answered 500 every time, retryMaxAttempts 3, deadLetterUri set: the event"
                            + " dead-lettered after 3 attempts with esdb-error \"%s\", the other %d delivered once in"
                            + " order, checkpoint at the last event; %d WARN lines, 0 ERROR",
                    EVENTS,
                    poisoned,
                    dead.getMessage().getHeader("esdb-error"),
                    EVENTS - 1,
                    warnings.size());
        }
    }

    /** Appends the events to streams starting with {@code prefix}. */
    private static Poisoned append(String prefix) throws Exception {
        InterleavedEvents.append(EVENT_STORE.server(), prefix, STREAMS, BATCH, 0, EVENTS);
        return new Poisoned(
                InterleavedEvents.positions(EVENT_STORE.client(), prefix),
                InterleavedEvents.stream(prefix, POISON, STREAMS, BATCH),
                InterleavedEvents.revision(POISON, STREAMS, BATCH));
    }

    private static Map<String, String> exhaustingConnector(
            String prefix, HttpTestReceiver receiver, String deadLetterUri) {
        Map<String, String> parameters = Connectors.fromStart(
                EVENT_STORE.server().connectionString(),
                prefix,
                "url",
                receiver.url("/orders/{stream}"),
                "retryInitialDelay",
                "50",
                "retryMaxDelay",
                "200",
                "retryMaxAttempts",
                "3",
                "checkpointInterval",
                String.valueOf(CHECKPOINT_INTERVAL));
        if (deadLetterUri != null) {
            parameters.put("deadLetterUri", deadLetterUri);
        }
        return parameters;
    }
}
