package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.UUID;

/** Response messages and error statuses exactly as the real server sends them. */
final class Responses {
    private static final Metadata.Key<String> EXCEPTION = key("exception");
    private static final Metadata.Key<String> STREAM_NAME = key("stream-name");
    private static final Metadata.Key<String> EXPECTED_VERSION = key("expected-version");
    private static final Metadata.Key<String> ACTUAL_VERSION = key("actual-version");
    private static final Metadata.Key<String> MAXIMUM_APPEND_SIZE = key("maximum-append-size");

    static final ReadResp CAUGHT_UP = ReadResp.newBuilder()
            .setCaughtUp(ReadResp.CaughtUp.getDefaultInstance())
            .build();

    private Responses() {}

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    static ReadResp confirmation() {
        return ReadResp.newBuilder()
                .setConfirmation(ReadResp.SubscriptionConfirmation.newBuilder()
                        .setSubscriptionId(UUID.randomUUID().toString()))
                .build();
    }

    static ReadResp checkpoint(long position) {
        return ReadResp.newBuilder()
                .setCheckpoint(ReadResp.Checkpoint.newBuilder()
                        .setCommitPosition(position)
                        .setPreparePosition(position))
                .build();
    }

    static ReadResp streamNotFound(String stream) {
        return ReadResp.newBuilder()
                .setStreamNotFound(ReadResp.StreamNotFound.newBuilder().setStreamIdentifier(streamIdentifier(stream)))
                .build();
    }

    static ReadResp lastStreamPosition(long revision) {
        return ReadResp.newBuilder().setLastStreamPosition(revision).build();
    }

    static ReadResp firstStreamPosition(long revision) {
        return ReadResp.newBuilder().setFirstStreamPosition(revision).build();
    }

    static Shared.StreamIdentifier streamIdentifier(String stream) {
        return Shared.StreamIdentifier.newBuilder()
                .setStreamName(ByteString.copyFromUtf8(stream))
                .build();
    }

    static StatusRuntimeException streamDeleted(String stream) {
        Metadata trailers = new Metadata();
        trailers.put(EXCEPTION, "stream-deleted");
        trailers.put(STREAM_NAME, stream);
        return Status.FAILED_PRECONDITION
                .withDescription("Event stream '" + stream + "' is deleted.")
                .asRuntimeException(trailers);
    }

    static StatusRuntimeException wrongExpectedVersion(String operation, LogException.WrongExpectedVersion e) {
        Metadata trailers = new Metadata();
        trailers.put(EXCEPTION, "wrong-expected-version");
        trailers.put(STREAM_NAME, e.stream);
        trailers.put(EXPECTED_VERSION, Long.toString(e.expected));
        trailers.put(ACTUAL_VERSION, Long.toString(e.actual));
        return Status.FAILED_PRECONDITION
                .withDescription(operation + " failed due to WrongExpectedVersion. Stream: " + e.stream
                        + ", Expected version: " + e.expected + ", Actual version: " + e.actual)
                .asRuntimeException(trailers);
    }

    static StatusRuntimeException appendTooLarge(LogException.AppendTooLarge e) {
        Metadata trailers = new Metadata();
        trailers.put(EXCEPTION, "maximum-append-size-exceeded");
        trailers.put(MAXIMUM_APPEND_SIZE, Integer.toString(e.maxAppendSize));
        return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException(trailers);
    }

    static StatusRuntimeException accessDenied() {
        Metadata trailers = new Metadata();
        trailers.put(EXCEPTION, "access-denied");
        return Status.PERMISSION_DENIED.withDescription("Access Denied").asRuntimeException(trailers);
    }

    static StatusRuntimeException invalidPosition() {
        return Status.INVALID_ARGUMENT
                .withDescription("Trying to read from an invalid position.")
                .asRuntimeException();
    }

    static StatusRuntimeException toStatus(String operation, LogException e) {
        if (e instanceof LogException.WrongExpectedVersion wrong) {
            return wrongExpectedVersion(operation, wrong);
        }
        if (e instanceof LogException.AppendTooLarge tooLarge) {
            return appendTooLarge(tooLarge);
        }
        return streamDeleted(e.stream);
    }
}
