package dev.camel.eventstore.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;

/** What the contract's tests and the testkit's own client-side tests build events, wait and assert with. */
final class ContractSupport {
    /** How long any single operation or expected callback may take. */
    static final Duration WAIT = Duration.ofSeconds(15);

    private static final Metadata.Key<String> EXCEPTION =
            Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> STREAM_NAME =
            Metadata.Key.of("stream-name", Metadata.ASCII_STRING_MARSHALLER);

    private ContractSupport() {}

    /** Waits for a condition, polling often: most conditions here hold within milliseconds. */
    static ConditionFactory eventually() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A stream name no other test (or earlier run against the same server) uses. */
    static String newStream(String label) {
        return "contract-" + label + "-" + unique();
    }

    static EventData json(String type) {
        return EventDataBuilder.json(type, ("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static EventData[] numbered(String typePrefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> json(typePrefix + i)).toArray(EventData[]::new);
    }

    static EventData link(long revision, String stream) {
        return EventDataBuilder.binary("$>", (revision + "@" + stream).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static <T> T result(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("Operation failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("No answer within " + WAIT, e);
        }
    }

    /** The error a future fails with (unwrapped from the client's CompletionException wrapping). */
    static Throwable failure(CompletableFuture<?> future) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> caught[0] = e.getCause());
        Throwable cause = caught[0];
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static List<RecordedEvent> recorded(ReadResult result) {
        return result.getEvents().stream().map(ResolvedEvent::getEvent).toList();
    }

    static List<Long> revisions(ReadResult result) {
        return recorded(result).stream().map(RecordedEvent::getRevision).toList();
    }

    static Predicate<ResolvedEvent> in(String stream) {
        return event -> event.getOriginalEvent().getStreamId().equals(stream);
    }

    static List<RecordedEvent> only(List<ResolvedEvent> events, String stream) {
        return events.stream()
                .filter(in(stream))
                .map(ResolvedEvent::getOriginalEvent)
                .toList();
    }

    static void assertPositionsStrictlyIncrease(List<ResolvedEvent> events) {
        Position previous = null;
        for (ResolvedEvent event : events) {
            Position position = event.getOriginalEvent().getPosition();
            assertThat(Long.compareUnsigned(position.getCommitUnsigned(), position.getPrepareUnsigned()))
                    .as("commit >= prepare for %s", event.getOriginalEvent())
                    .isGreaterThanOrEqualTo(0);
            if (previous != null) {
                assertThat(position).as("position after %s", previous).isGreaterThan(previous);
            }
            previous = position;
        }
    }

    /** The status the server ends a read or subscription of a tombstoned stream with. */
    static void assertStreamDeletedStatus(Throwable error, String stream) {
        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException status = (StatusRuntimeException) error;
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status.getStatus().getDescription()).isEqualTo("Event stream '" + stream + "' is deleted.");
        assertThat(status.getTrailers()).isNotNull();
        assertThat(status.getTrailers().get(EXCEPTION)).isEqualTo("stream-deleted");
        assertThat(status.getTrailers().get(STREAM_NAME)).isEqualTo(stream);
    }

    /** Stream metadata limiting the stream to its newest {@code maxCount} events. */
    static StreamMetadata maxCount(long maxCount) {
        StreamMetadata metadata = new StreamMetadata();
        metadata.setMaxCount(maxCount);
        return metadata;
    }

    /** A payload of the given size. */
    static byte[] bytes(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        return data;
    }
}
