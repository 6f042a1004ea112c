package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

/**
 * How the HTTP connector delivers: failed requests retried in order while the position waits, batches whose
 * position moves only when acknowledged, and order per stream with several requests in flight.
 */
class HttpSinkDeliveryTest extends HttpConnectorTest {
    @Test
    void serverErrorsAndTimeoutsAreRetriedInOrderWhileThePositionWaits() throws Exception {
        String prefix = newPrefix("retry");
        server().append(prefix + "a", numbered("OrderPlaced", 0, 10));
        HttpTestReceiver receiver = receiver();
        AtomicBoolean refuse = new AtomicBoolean(true);
        CountDownLatch timedOut = new CountDownLatch(1);
        AtomicInteger heldRequest = new AtomicInteger();
        // event 3 is refused with 503 until the test lets it through; event 6's first request gets no answer in
        // time (the receiver holds it until the retry arrives)
        receiver.answerWith(n -> {
            HttpTestReceiver.Request r = receiver.requests().get(n - 1);
            int event = Integer.parseInt(r.bodyText().replaceAll("\\D", ""));
            // event 6's first request is answered after the connector gave up on it: 503 keeps the count exact
            return (event == 3 && refuse.get()) || n == heldRequest.get() ? 503 : 200;
        });
        AtomicInteger event6Requests = new AtomicInteger();
        receiver.holdWith(n -> {
            HttpTestReceiver.Request r = receiver.requests().get(n - 1);
            if (r.bodyText().equals("{\"n\":6}") && event6Requests.incrementAndGet() == 1) {
                heldRequest.set(n);
                timedOut.await(20, TimeUnit.SECONDS);
            } else if (r.bodyText().equals("{\"n\":6}")) {
                timedOut.countDown();
            }
        });
        CamelContext context = context();
        connector(context, "http-retry", prefix, Map.of("url", receiver.url("/in"), "responseTimeout", "500"));

        await().atMost(WAIT).until(() -> receiver.requests().size() >= 6);
        // three refusals of event 3 (or more: retries go on while this checks): nothing after it was sent, and the
        // position is still before it
        List<Integer> sent = numbers(receiver.requests());
        assertThat(sent.subList(0, 3)).containsExactly(0, 1, 2);
        assertThat(sent.subList(3, sent.size())).hasSizeGreaterThanOrEqualTo(3).containsOnly(3);
        long commitOf2 = Long.parseLong(receiver.accepted().get(2).header("esdb-record-log-position"));
        assertThat(consumer(context, "http-retry").getProcessedPosition().commit())
                .isEqualTo(commitOf2);
        refuse.set(false);

        await().atMost(WAIT).until(() -> receiver.accepted().size() >= 10);
        assertThat(numbers(receiver.accepted())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(event6Requests).hasValue(2);
        // at or past event 9: the connector's claim of its checkpoint stream, appended to $all when it started (after
        // these events), is a system event the subscription passes over
        long commitOf9 = Long.parseLong(receiver.accepted().get(9).header("esdb-record-log-position"));
        await().atMost(WAIT)
                .until(() ->
                        consumer(context, "http-retry").getProcessedPosition().commit() >= commitOf9);
    }

    @Test
    void batchesAreJsonArraysAndThePositionMovesOnlyOverAcknowledgedBatches() throws Exception {
        String prefix = newPrefix("batch");
        long before = server().lastPosition();
        server().append(prefix + "a", numbered("OrderPlaced", 0, 45));
        HttpTestReceiver receiver = receiver();
        CountDownLatch releaseFirst = new CountDownLatch(1);
        receiver.holdWith(n -> {
            if (n == 1) {
                releaseFirst.await(20, TimeUnit.SECONDS);
            }
        });
        // the second request (the second batch) fails once
        receiver.answerWith(n -> n == 2 ? 500 : 200);
        CamelContext context = context();
        connector(
                context,
                "http-batch",
                prefix,
                Map.of(
                        "url", receiver.url("/batch"),
                        "batchSize", "10",
                        "maxInFlight", "20",
                        "batchTimeout", "200"));

        // the first batch is held unanswered: the position has not moved, though its events were sent
        await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
        assertThat(numbers(receiver.requests())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(consumer(context, "http-batch").getProcessedPosition())
                .satisfiesAnyOf(p -> assertThat(p).isEqualTo(SubscriptionPosition.START), p -> assertThat(p.commit())
                        .isLessThanOrEqualTo(before));
        releaseFirst.countDown();

        await().atMost(WAIT).until(() -> numbers(receiver.accepted()).size() == 45);
        assertThat(numbers(receiver.accepted()))
                .containsExactlyElementsOf(IntStream.range(0, 45).boxed().toList());
        assertThat(numbers(List.of(receiver.requests().get(1))))
                .containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
        for (HttpTestReceiver.Request r : receiver.accepted()) {
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.isArray()).isTrue();
            assertThat(body.size()).isBetween(1, 10);
            assertThat(r.header("esdb-batch-size")).isEqualTo(String.valueOf(body.size()));
            assertThat(r.header("esdb-connector-id")).isEqualTo("http-batch");
            assertThat(r.header("Content-Type")).startsWith("application/json");
        }
        long lastCommit = server().lastPosition();
        await().atMost(WAIT)
                .until(() ->
                        consumer(context, "http-batch").getProcessedPosition().commit() >= lastCommit);
    }

    @Test
    void severalRequestsInFlightKeepEachStreamInOrder() throws Exception {
        String prefix = newPrefix("in-flight");
        int streams = 4;
        int perStream = 25;
        for (int n = 0; n < streams * perStream; n++) {
            server().append(prefix + (n % streams), numbered("OrderPlaced", n, 1));
        }
        HttpTestReceiver receiver = receiver();
        // a little service time, so that requests overlap
        receiver.holdWith(n -> Thread.sleep(5));
        connector(context(), "http-in-flight", prefix, Map.of("url", receiver.url("/in"), "maxInFlight", "8"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == streams * perStream);
        for (int s = 0; s < streams; s++) {
            String stream = prefix + s;
            List<Integer> expected = new ArrayList<>();
            for (int n = s; n < streams * perStream; n += streams) {
                expected.add(n);
            }
            List<HttpTestReceiver.Request> ofStream = receiver.accepted().stream()
                    .filter(r -> stream.equals(r.header("esdb-record-stream-id")))
                    .toList();
            assertThat(numbers(ofStream)).as(stream).containsExactlyElementsOf(expected);
        }
        assertThat(receiver.concurrentSameStream()).isEmpty();
        assertThat(receiver.maxConcurrent()).as("requests overlapped").isBetween(2, 8);
    }
}
