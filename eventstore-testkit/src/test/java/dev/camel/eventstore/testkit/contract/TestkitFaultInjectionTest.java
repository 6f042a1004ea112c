package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.failure;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.numbered;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The testkit's fault injection, seen through the real client: what a consumer under test would experience. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestkitFaultInjectionTest {
    /** Long enough for an event to arrive if it were going to (they arrive within milliseconds here). */
    private static final Duration QUIET = Duration.ofMillis(500);

    private final Clients clients = new Clients();
    private EventStoreTestServer server;
    private EventStoreDBClient client;

    @BeforeEach
    void start() {
        server = clients.start(EventStoreTestServer.builder());
        client = clients.connect(server.connectionString());
    }

    @AfterEach
    void close() {
        clients.close();
    }

    private Recorder liveSubscription(EventStoreDBClient subscriber, String stream) {
        Recorder recorder = new Recorder();
        clients.subscribed(subscriber.subscribeToStream(stream, recorder, SubscribeToStreamOptions.get()));
        eventually().until(recorder::isCaughtUp);
        return recorder;
    }

    private static List<String> types(ReadResult result) {
        return result.getEvents().stream()
                .map(ResolvedEvent::getEvent)
                .map(RecordedEvent::getEventType)
                .toList();
    }

    @Test
    void stopThenStartOnTheSamePortKeepsTheData() {
        String stream = newStream("restart");
        result(client.appendToStream(stream, numbered("e", 3)));
        Recorder open = liveSubscription(client, stream);
        int port = server.port();

        server.stop();
        assertThat(server.isRunning()).isFalse();
        server.start();

        assertThat(server.port()).isEqualTo(port);
        EventStoreDBClient fresh = clients.connect(server.connectionString());
        assertThat(types(result(fresh.readStream(stream, ReadStreamOptions.get()))))
                .containsExactly("e0", "e1", "e2");
        result(fresh.appendToStream(stream, json("after-restart")));
        Recorder renewed = liveSubscription(fresh, stream);
        eventually().until(() -> renewed.events().size() == 4);
        assertThat(renewed.eventTypes()).containsExactly("e0", "e1", "e2", "after-restart");
        // the subscription open during the stop is gone without a word: the server cancelled its call (as a real
        // server's graceful shutdown does), and the 5.4.5 client reports a CANCELLED status to nobody
        assertThat(open.kinds()).containsExactly("Confirmed", "Event", "Event", "Event", "CaughtUp");
        assertThat(open.isCancelled()).isFalse();
    }

    @Test
    void droppedSubscriptionsGetAnErrorInOnCancelled() {
        String stream = newStream("drop");
        Recorder recorder = liveSubscription(client, stream);

        server.dropSubscriptions();

        eventually().until(recorder::isCancelled);
        assertThat(recorder.cancellation()).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) recorder.cancellation()).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo("Subscription dropped by the testkit server");
        assertThat(recorder.kinds()).containsExactly("Confirmed", "CaughtUp", "Cancelled");
        eventually().until(() -> server.activeSubscriptions() == 0);
    }

    @Test
    void droppedSubscriptionsCarryTheChosenStatus() {
        String stream = newStream("drop-status");
        Recorder recorder = liveSubscription(client, stream);

        server.dropSubscriptions(Status.ABORTED.withDescription("leader changed"));

        eventually().until(recorder::isCancelled);
        Status status = ((StatusRuntimeException) recorder.cancellation()).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getDescription()).isEqualTo("leader changed");
    }

    @Test
    void silentlyEndedSubscriptionsGetNoCallbackAndNoMoreEvents() {
        String stream = newStream("silent");
        Recorder ended = liveSubscription(client, stream);

        server.endSubscriptionsSilently();
        eventually().until(() -> server.activeSubscriptions() == 0);
        Recorder witness = liveSubscription(client, stream);
        result(client.appendToStream(stream, json("after-end")));

        // the witness, subscribed after the end, gets the event; the ended subscription heard nothing at all
        eventually().until(() -> witness.events().size() == 1);
        assertThat(ended.kinds()).containsExactly("Confirmed", "CaughtUp");
        assertThat(ended.isCancelled()).isFalse();
        assertThat(witness.eventTypes()).containsExactly("after-end");
    }

    @Test
    void pausedDeliveryHoldsEventsBackThenDeliversAllInOrder() {
        String stream = newStream("pause");
        Recorder recorder = liveSubscription(client, stream);
        long before = server.eventCount();

        server.pauseDelivery();
        result(client.appendToStream(stream, numbered("e", 5)));
        CompletableFuture<ReadResult> read = client.readStream(stream, ReadStreamOptions.get());

        // appends go on; subscriptions and reads wait
        assertThat(server.eventCount()).isEqualTo(before + 5);
        eventually()
                .atMost(QUIET.multipliedBy(4))
                .during(QUIET)
                .until(() -> recorder.events().isEmpty() && !read.isDone());
        server.resumeDelivery();

        eventually().until(() -> recorder.events().size() == 5);
        assertThat(recorder.eventTypes()).containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThat(types(result(read))).containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThat(recorder.isCancelled()).isFalse();
    }

    @Test
    void failedAppendsEndWithTheChosenStatusAndWriteNothing() {
        String failing = newStream("fail");
        String healthy = newStream("healthy");
        server.failAppends(
                stream -> stream.equals(failing), Status.RESOURCE_EXHAUSTED.withDescription("injected failure"));

        Throwable error = failure(client.appendToStream(failing, json("A")));
        result(client.appendToStream(healthy, json("B")));

        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) error).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).isEqualTo("injected failure");
        assertThat(failure(client.readStream(failing, ReadStreamOptions.get())))
                .isInstanceOf(StreamNotFoundException.class);

        server.clearAppendFailures();
        result(client.appendToStream(failing, json("C")));
        assertThat(types(result(client.readStream(failing, ReadStreamOptions.get()))))
                .containsExactly("C");
    }

    @Test
    void anUnavailableAppendLeavesTheClientUsable() {
        String stream = newStream("unavailable");
        server.failAppends(name -> name.equals(stream), Status.UNAVAILABLE.withDescription("node going away"));

        Throwable error = failure(client.appendToStream(stream, json("A")));
        server.clearAppendFailures();

        assertThat(((StatusRuntimeException) error).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        // the client reconnects on UNAVAILABLE; the same client keeps working
        result(client.appendToStream(stream, json("B")));
        assertThat(types(result(client.readStream(stream, ReadStreamOptions.get()))))
                .containsExactly("B");
    }

    @Test
    void anEventUpToTheMaximumAppendSizeIsAcceptedAndOneByteMoreIsNot() {
        assertMaximumAppendSize(server, client, EventStoreTestServer.DEFAULT_MAX_APPEND_SIZE);
    }

    @Test
    void theMaximumAppendSizeIsConfigurable() {
        EventStoreTestServer small =
                clients.start(EventStoreTestServer.builder().maxAppendSize(4096));
        assertMaximumAppendSize(small, clients.connect(small.connectionString()), 4096);
    }

    private static void assertMaximumAppendSize(EventStoreTestServer server, EventStoreDBClient client, int max) {
        String stream = newStream("big");
        String type = "Big";
        // the real server counts data + metadata + 2 bytes per char of the type (Event.SizeOnDisk)
        int largest = max - 2 * type.length();

        result(client.appendToStream(stream, binary(type, largest)));
        Throwable tooLarge = failure(client.appendToStream(stream, binary(type, largest + 1)));
        Throwable tooLargeTogether =
                failure(client.appendToStream(stream, binary(type, largest / 2), binary(type, largest / 2 + 4)));

        List<ResolvedEvent> stored =
                result(client.readStream(stream, ReadStreamOptions.get())).getEvents();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).getEvent().getEventData()).hasSize(largest);
        for (Throwable error : List.of(tooLarge, tooLargeTogether)) {
            assertThat(error).isInstanceOf(StatusRuntimeException.class);
            StatusRuntimeException status = (StatusRuntimeException) error;
            assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getStatus().getDescription()).isEqualTo("Maximum Append Size of " + max + " Exceeded.");
            assertThat(status.getTrailers().get(Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo("maximum-append-size-exceeded");
            assertThat(status.getTrailers()
                            .get(Metadata.Key.of("maximum-append-size", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo(Integer.toString(max));
        }
    }

    /**
     * An event of exactly {@code size} bytes of data and no user metadata: empty, not absent, because the client
     * writes its tracing ids into absent metadata.
     */
    private static EventData binary(String type, int size) {
        return EventDataBuilder.binary(type, ContractSupport.bytes(size))
                .metadataAsBytes(new byte[0])
                .build();
    }
}
