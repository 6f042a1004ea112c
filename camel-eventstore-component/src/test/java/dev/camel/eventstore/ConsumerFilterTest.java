package dev.camel.eventstore;

import static dev.camel.eventstore.ConsumerFaultSupport.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server-side filters of $all subscriptions, system events, and the position a filtered consumer reaches. */
class ConsumerFilterTest extends ConsumerServerTestSupport {
    /**
     * Event n, numbered n, goes to the n-th of the {@code streams} with the n-th of the {@code types} (taken in turn
     * where there are fewer); a route from $all with the filter gets exactly the {@code delivered} ones, in order,
     * each with its stream and type as appended. The last event is always delivered: once it arrived, everything
     * before it was delivered or left out.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            textBlock =
                    """
            # filter | streams | types | numbers of the events delivered
            # literal prefixes: xorders-1 contains one but does not start with it, the dot of a.b is no wildcard (aXb-1),
            # case matters (Orders-2)
            streamNamePrefixes=orders-,a.b,payments- | orders-1 xorders-1 payments-7 aXb-1 a.b-1 other Orders-2 orders-2 xa.b a.bc | Numbered | 0 2 4 7 9
            # unanchored like the server's: matched in the middle; eu-1 has no dash before "eu"
            streamNameRegex=RAW(-eu-[0-9]+$) | orders-eu-1 orders-us-1 pay-eu-22 orders-eu-x eu-1 orders-eu-3 | Numbered | 0 2 5
            # literal prefixes: case matters (orderPlaced), a dot is a dot (Order.Placed)
            eventTypePrefixes=Order,Payment | stream-0 stream-1 stream-2 | OrderPlaced XOrderPlaced PaymentTaken Shipped orderPlaced Order Order.Placed PaymentRefunded | 0 2 5 6 7
            # $Placed is a system type: left out unless system events are included
            eventTypeRegex=RAW(Placed$) | stream-0 stream-1 | OrderPlaced PlacedOrder $Placed ItemPlaced Shipped Placed | 0 3 5
            eventTypeRegex=RAW(Placed$)&excludeSystemEvents=false | stream-0 stream-1 | OrderPlaced PlacedOrder $Placed ItemPlaced Shipped Placed | 0 2 3 5
            """)
    void aFilterOfAllDeliversExactlyTheMatchingEvents(String filter, String streams, String types, String delivered)
            throws Exception {
        List<String> streamOf = List.of(streams.split(" "));
        List<String> typeOf = List.of(types.split(" "));
        int count = Math.max(streamOf.size(), typeOf.size());
        for (int n = 0; n < count; n++) {
            server.append(streamOf.get(n % streamOf.size()), TestEvents.numbered(typeOf.get(n % typeOf.size()), n, 1));
        }
        List<Integer> expected =
                Stream.of(delivered.split(" ")).map(Integer::valueOf).toList();
        assertThat(expected).last().isEqualTo(count - 1);

        Recorder received = startRecording(uri("$all", filter), "filtered");
        awaitNumber(received, count - 1);
        assertThat(received.numbers()).containsExactlyElementsOf(expected);
        assertThat(received)
                .extracting(
                        r -> r.header(EventStoreConstants.STREAM_ID) + " " + r.header(EventStoreConstants.EVENT_TYPE))
                .containsExactlyElementsOf(expected.stream()
                        .map(n -> streamOf.get(n % streamOf.size()) + " " + typeOf.get(n % typeOf.size()))
                        .toList());
    }

    @Test
    void systemEventsOfAllAreLeftOutByDefaultAndDeliveredOnRequest() throws Exception {
        EventStoreDBClient client = client();
        client.appendToStream(
                        "orders-1", TestEvents.numbered(TestEvents.TYPE, 0, 1).iterator())
                .get(10, TimeUnit.SECONDS);
        setMaxCount(client, "orders-1");
        client.appendToStream(
                        "orders-1", TestEvents.numbered(TestEvents.TYPE, 1, 1).iterator())
                .get(10, TimeUnit.SECONDS);
        String uri = uri("$all");
        Recorder byDefault = recording(uri, "default");
        Recorder excluded = recording(uri + "&excludeSystemEvents=true", "excluded");
        Recorder included = startRecording(uri + "&excludeSystemEvents=false", "included");

        await().atMost(WAIT).until(() -> byDefault.size() >= 2 && excluded.size() >= 2 && included.size() >= 5);
        for (Recorder r : List.of(byDefault, excluded)) {
            assertThat(r.numbers()).containsExactly(0, 1);
        }
        assertThat(included)
                .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                .containsExactly("$$$scavenges", "$$$stats-127.0.0.1:2113", "orders-1", "$$orders-1", "orders-1");
        assertThat(included)
                .extracting(r -> r.header(EventStoreConstants.EVENT_TYPE))
                .containsExactly("$metadata", "$metadata", "Numbered", "$metadata", "Numbered");
        assertThat(new String((byte[]) included.get(3).body, StandardCharsets.UTF_8))
                .contains("\"$maxCount\":100");

        // the left-out events are behind the consumer too: its position is the last event's
        for (String routeId : List.of("default", "excluded", "included")) {
            awaitProcessed(routeId, lastPosition());
        }
    }

    @Test
    void aStreamNameFilterLeavesSystemEventsOutInTheConsumer() throws Exception {
        // "orders-1" also matches the metastream "$$orders-1": the server cannot filter on the name and the
        // type at once, so the consumer drops the system events itself
        String uri = uri("$all", "streamNameRegex=orders-1");
        Recorder excluded = recording(uri, "excluded");
        Recorder included = startRecording(uri + "&excludeSystemEvents=false", "included");
        // caught up with the seeded system events: the server's checkpoint on going live covers them
        SubscriptionPosition seeded = lastPosition();
        for (String routeId : List.of("excluded", "included")) {
            awaitProcessed(routeId, seeded);
        }

        // live now: no server checkpoint for 32 events, so only the consumer moves the position
        append("orders-1", 0, 2);
        setMaxCount(client(), "orders-1");
        SubscriptionPosition last = lastPosition();

        awaitSize(included, 3);
        assertThat(included)
                .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                .containsExactly("orders-1", "orders-1", "$$orders-1");
        assertThat(included.get(2).header(EventStoreConstants.EVENT_TYPE)).isEqualTo("$metadata");

        // the dropped $metadata event is the newest in the log: reaching its position means it was passed over
        awaitProcessed("excluded", last);
        assertThat(excluded.numbers()).containsExactly(0, 1);
        assertThat(excluded)
                .extracting(r -> r.header(EventStoreConstants.STREAM_ID))
                .containsOnly("orders-1");
    }

    @Test
    @WithoutSystemEvents
    void aFilterThatMatchesNothingStillAdvancesThePositionThroughCheckpoints() throws Exception {
        // a checkpoint every 5 x 2 = 10 events read, matched or not
        append("orders-1", 0, 20);
        // each probe event that matches records where the consumer stood when it was routed: markers and
        // events are handled in log order, so that is exactly the last checkpoint before the probe
        List<String> probes = new CopyOnWriteArrayList<>();
        // no liveness check: it re-subscribes a quiet subscription, whose checkpoint on catching up would move the
        // position without the server's interval checkpoints
        String uri = uri(
                "$all",
                "streamNamePrefixes=probe-",
                "checkpointWindow=5",
                "checkpointIntervalMultiplier=2",
                "livenessCheckInterval=0");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri)
                        .routeId("nothing")
                        .process(
                                e -> probes.add(TestEvents.number(e.getMessage().getBody(byte[].class)) + " at "
                                        + consumer("nothing").getProcessedPosition()));
            }
        });
        context.start();
        EventStoreConsumer consumer = consumer("nothing");
        List<SubscriptionPosition> positions = positions();
        Set<SubscriptionPosition> observed = new LinkedHashSet<>();

        // catch-up: checkpoints after the 10th and the 20th event
        awaitPosition(consumer, positions.get(19), observed);
        assertThat(observed).isSubsetOf(SubscriptionPosition.START, positions.get(9), positions.get(19));

        // live: 30 more events, checkpoints after the 30th, 40th and 50th
        append("orders-2", 20, 30);
        positions = positions();
        observed.clear();
        awaitPosition(consumer, positions.get(49), observed);
        assertThat(observed).isSubsetOf(positions.get(19), positions.get(29), positions.get(39), positions.get(49));
        assertThat(probes).isEmpty();

        // 5 more events and a probe (the 56th): no checkpoint since the 50th; 4 more (the 60th is
        // checkpointed) and a second probe
        append("orders-3", 50, 5);
        append("probe-1", 55, 1);
        append("orders-4", 56, 4);
        append("probe-1", 60, 1);
        positions = positions();
        await().atMost(WAIT).until(() -> probes.size() >= 2);
        assertThat(probes).containsExactly("55 at " + positions.get(49), "60 at " + positions.get(59));
        // the last probe completed: the position is the newest event's
        awaitProcessed("nothing", lastPosition());
    }

    @Test
    void filtersAreRejectedOnAStreamEndpoint() throws Exception {
        for (String filter : List.of(
                "streamNamePrefixes=orders-",
                "streamNameRegex=orders",
                "eventTypePrefixes=Order",
                "eventTypeRegex=Order")) {
            try (DefaultCamelContext rejecting = new DefaultCamelContext()) {
                rejecting.addRoutes(route(uri("orders-1", filter), "stream", new Recorder()));
                assertThatThrownBy(rejecting::start)
                        .as(filter)
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(filter.substring(0, filter.indexOf('=')))
                        .hasMessageContaining("apply to $all only, not to the stream 'orders-1'");
            }
        }
        assertThat(server.activeSubscriptions()).isZero();
    }

    // ---- helpers ----

    /** Waits until an event numbered {@code n} has arrived . */
    private static void awaitNumber(Recorder received, int n) {
        await().atMost(WAIT).until(() -> received.numbers().contains(n));
    }

    /** Waits for the processed position, noting every value seen on the way (polled every millisecond). */
    private static void awaitPosition(
            EventStoreConsumer consumer, SubscriptionPosition expected, Set<SubscriptionPosition> observed) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> {
            SubscriptionPosition now = consumer.getProcessedPosition();
            if (now != null) {
                observed.add(now);
            }
            return expected.equals(now);
        });
    }

    /** Sets a $maxCount on the stream: a $metadata event in its metastream. */
    private static void setMaxCount(EventStoreDBClient client, String stream) throws Exception {
        StreamMetadata metadata = new StreamMetadata();
        metadata.setMaxCount(100L);
        client.setStreamMetadata(stream, metadata).get(10, TimeUnit.SECONDS);
    }

    /** The positions of all events in $all, in order. */
    private List<SubscriptionPosition> positions() throws Exception {
        List<SubscriptionPosition> positions = new ArrayList<>();
        for (ResolvedEvent e : client().readAll(ReadAllOptions.get().fromStart().maxCount(10_000))
                .get(10, TimeUnit.SECONDS)
                .getEvents()) {
            Position p = e.getOriginalEvent().getPosition();
            positions.add(SubscriptionPosition.ofAll(p));
        }
        return positions;
    }
}
