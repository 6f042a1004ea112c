package dev.camel.eventstore.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq.Options.FilterOptions;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Filters with several prefixes. db-client-java 5.4.5 cannot send them (it sends one prefix, as an unanchored regex),
 * but the protocol has a prefix list and other clients use it, so these requests go over raw gRPC.
 */
class TestkitPrefixListFilterTest {
    private static EventStoreTestServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        server = EventStoreTestServer.builder().seedSystemEvents(false).build().start();
        channel = ManagedChannelBuilder.forAddress(server.host(), server.port())
                .usePlaintext()
                .build();
        append("orders-1", "OrderPlaced");
        append("payments-1", "PaymentTaken");
        append("shipments-1", "OrderShipped");
        // contains a prefix, but does not start with one
        append("archived-orders-1", "ArchivedOrderPlaced");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void streamNamePrefixesMatchStreamsStartingWithAnyOfThem() {
        List<String> streams =
                readAll(FilterOptions.newBuilder().setStreamIdentifier(prefixes("orders-", "payments-")));

        assertThat(streams).containsExactly("orders-1", "payments-1");
    }

    @Test
    void eventTypePrefixesMatchTypesStartingWithAnyOfThem() {
        List<String> streams = readAll(FilterOptions.newBuilder().setEventType(prefixes("Order", "Payment")));

        assertThat(streams).containsExactly("orders-1", "payments-1", "shipments-1");
    }

    /** A filter expression that matches what starts with any of the prefixes. */
    private static FilterOptions.Expression prefixes(String... prefixes) {
        return FilterOptions.Expression.newBuilder()
                .addAllPrefix(List.of(prefixes))
                .build();
    }

    private static void append(String stream, String type) {
        server.append(
                stream,
                List.of(EventDataBuilder.json(type, "{}".getBytes(StandardCharsets.UTF_8))
                        .build()));
    }

    /** Reads {@code $all} forwards from the start with the filter; returns the stream of each event read. */
    private static List<String> readAll(FilterOptions.Builder filter) {
        ReadReq request = ReadReq.newBuilder()
                .setOptions(ReadReq.Options.newBuilder()
                        .setAll(ReadReq.Options.AllOptions.newBuilder().setStart(Shared.Empty.getDefaultInstance()))
                        .setReadDirection(ReadReq.Options.ReadDirection.Forwards)
                        .setCount(100)
                        .setFilter(filter.setMax(32).setCheckpointIntervalMultiplier(1))
                        .setUuidOption(
                                ReadReq.Options.UUIDOption.newBuilder().setString(Shared.Empty.getDefaultInstance()))
                        .setControlOption(
                                ReadReq.Options.ControlOption.newBuilder().setCompatibility(1)))
                .build();
        List<String> streams = new ArrayList<>();
        StreamsGrpc.newBlockingStub(channel)
                .withDeadlineAfter(15, TimeUnit.SECONDS)
                .read(request)
                .forEachRemaining((ReadResp response) -> {
                    if (response.hasEvent()) {
                        streams.add(response.getEvent()
                                .getEvent()
                                .getStreamIdentifier()
                                .getStreamName()
                                .toStringUtf8());
                    }
                });
        return streams;
    }
}
