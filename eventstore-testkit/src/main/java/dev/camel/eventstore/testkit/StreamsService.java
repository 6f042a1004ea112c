package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.shared.Shared;
import com.eventstore.dbclient.proto.streams.StreamsGrpc;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.DeleteReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.DeleteResp;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.TombstoneReq;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.TombstoneResp;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** The {@code event_store.client.streams.Streams} service: reads, subscriptions, appends and deletes. */
final class StreamsService extends StreamsGrpc.StreamsImplBase {
    private final EventLog log;
    private final EventStoreTestServer server;

    StreamsService(EventLog log, EventStoreTestServer server) {
        this.log = log;
        this.server = server;
    }

    /**
     * The service as served: the generated definition, with Read replaced by {@link #readOrSubscribe} so that it
     * can send stored events as their serialised bytes.
     */
    ServerServiceDefinition definition() {
        MethodDescriptor<ReadReq, Object> read = StreamsGrpc.getReadMethod().toBuilder(
                        ProtoUtils.marshaller(ReadReq.getDefaultInstance()), new WireMarshaller())
                .build();
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(StreamsGrpc.SERVICE_NAME)
                .addMethod(read, ServerCalls.asyncServerStreamingCall(this::readOrSubscribe));
        for (ServerMethodDefinition<?, ?> method : bindService().getMethods()) {
            if (!method.getMethodDescriptor().getFullMethodName().equals(read.getFullMethodName())) {
                builder.addMethod(method);
            }
        }
        return builder.build();
    }

    void readOrSubscribe(ReadReq request, StreamObserver<Object> responseObserver) {
        ServerCallStreamObserver<Object> observer = (ServerCallStreamObserver<Object>) responseObserver;
        ReadReq.Options options = request.getOptions();
        boolean subscription = options.getCountOptionCase() == ReadReq.Options.CountOptionCase.SUBSCRIPTION;
        ResponsePump.Source source;
        try {
            source = subscription ? subscriptionSource(options) : readSource(options);
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            observer.onError(
                    Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        server.startPump(observer, source, subscription);
    }

    private ResponsePump.Source readSource(ReadReq.Options options) {
        LinkResolver links = new LinkResolver(log, options.getResolveLinks());
        boolean forwards = options.getReadDirection() == ReadReq.Options.ReadDirection.Forwards;
        long count = options.getCount() < 0 ? Long.MAX_VALUE : options.getCount();
        if (options.getStreamOptionCase() == ReadReq.Options.StreamOptionCase.ALL) {
            ReadReq.Options.AllOptions all = options.getAll();
            int start =
                    switch (all.getAllOptionCase()) {
                        case START -> 0;
                        case END -> log.size();
                        case POSITION -> {
                            long position = all.getPosition().getCommitPosition();
                            if (!log.isValidPosition(position)) {
                                throw Responses.invalidPosition();
                            }
                            // forwards includes the event at the position, backwards starts before it
                            yield log.indexAtOrAfter(position);
                        }
                        default -> throw invalid("all_option", all.getAllOptionCase());
                    };
            EventFilter filter = options.hasFilter() ? EventFilter.from(options.getFilter()) : null;
            return new ReadAllSource(log, links, filter, forwards, start, count);
        }
        ReadReq.Options.StreamOptions streamOptions = options.getStream();
        String name = streamOptions.getStreamIdentifier().getStreamName().toStringUtf8();
        StreamState stream = log.stream(name);
        if (stream != null && stream.isTombstoned()) {
            throw Responses.streamDeleted(name);
        }
        if (stream == null || stream.readsAsMissing()) {
            return new SingleMessageSource(Responses.streamNotFound(name));
        }
        long startRevision =
                switch (streamOptions.getRevisionOptionCase()) {
                    case START -> 0;
                    case END -> forwards ? stream.count() : stream.lastRevision();
                    case REVISION -> streamOptions.getRevision() < 0 ? Long.MAX_VALUE : streamOptions.getRevision();
                    default -> throw invalid("revision_option", streamOptions.getRevisionOptionCase());
                };
        boolean positions = options.getControlOption().getCompatibility() >= 1;
        return new ReadStreamSource(stream, links, forwards, startRevision, count, positions);
    }

    private ResponsePump.Source subscriptionSource(ReadReq.Options options) {
        if (options.getReadDirection() != ReadReq.Options.ReadDirection.Forwards) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Subscriptions read forwards only.")
                    .asRuntimeException();
        }
        LinkResolver links = new LinkResolver(log, options.getResolveLinks());
        if (options.getStreamOptionCase() == ReadReq.Options.StreamOptionCase.ALL) {
            ReadReq.Options.AllOptions all = options.getAll();
            long startAfter =
                    switch (all.getAllOptionCase()) {
                        case START -> -1;
                        case END -> Long.MAX_VALUE;
                        case POSITION -> all.getPosition().getCommitPosition();
                        default -> throw invalid("all_option", all.getAllOptionCase());
                    };
            EventFilter filter = options.hasFilter() ? EventFilter.from(options.getFilter()) : null;
            return new AllSubscriptionSource(log, links, filter, startAfter);
        }
        ReadReq.Options.StreamOptions streamOptions = options.getStream();
        String name = streamOptions.getStreamIdentifier().getStreamName().toStringUtf8();
        long startAfter =
                switch (streamOptions.getRevisionOptionCase()) {
                    case START -> -1;
                    case END -> Long.MAX_VALUE;
                    case REVISION -> streamOptions.getRevision();
                    default -> throw invalid("revision_option", streamOptions.getRevisionOptionCase());
                };
        return new StreamSubscriptionSource(log, name, links, startAfter);
    }

    private static StatusRuntimeException invalid(String what, Object value) {
        return Status.INVALID_ARGUMENT
                .withDescription("'" + value + "' is not a valid " + what)
                .asRuntimeException();
    }

    @Override
    public StreamObserver<AppendReq> append(StreamObserver<AppendResp> responseObserver) {
        return new AppendCall(responseObserver);
    }

    /** Collects the options and proposed events of one client-streaming append, then writes them at once. */
    private final class AppendCall implements StreamObserver<AppendReq> {
        private final StreamObserver<AppendResp> response;
        private final List<ProposedEvent> events = new ArrayList<>();
        private AppendReq.Options options;
        private boolean failed;

        AppendCall(StreamObserver<AppendResp> response) {
            this.response = response;
        }

        @Override
        public void onNext(AppendReq request) {
            if (failed) {
                return;
            }
            if (request.hasOptions()) {
                options = request.getOptions();
                return;
            }
            AppendReq.ProposedMessage message = request.getProposedMessage();
            String type = message.getMetadataOrDefault("type", null);
            String contentType = message.getMetadataOrDefault("content-type", null);
            if (options == null || type == null || contentType == null) {
                fail(
                        options == null
                                ? Status.INVALID_ARGUMENT
                                        .withDescription("The first append message must hold the options.")
                                        .asRuntimeException()
                                : missingMetadata(type == null ? "type" : "content-type"));
                return;
            }
            events.add(new ProposedEvent(
                    message.getId(), type, contentType, message.getData(), message.getCustomMetadata()));
        }

        @Override
        public void onError(Throwable t) {
            failed = true;
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            if (options == null) {
                fail(Status.INVALID_ARGUMENT
                        .withDescription("An append needs options.")
                        .asRuntimeException());
                return;
            }
            String stream = options.getStreamIdentifier().getStreamName().toStringUtf8();
            StatusRuntimeException fault = server.appendFault(stream);
            if (fault != null) {
                fail(fault);
                return;
            }
            long expected = ExpectedVersion.fromWire(options.getExpectedStreamRevisionCase(), options.getRevision());
            AppendResp reply;
            try {
                EventLog.AppendResult result = log.append(stream, expected, events);
                AppendResp.Success.Builder success = AppendResp.Success.newBuilder();
                if (result.currentRevision() < 0) {
                    success.setNoStream(Shared.Empty.getDefaultInstance());
                } else {
                    success.setCurrentRevision(result.currentRevision());
                }
                if (result.position() < 0) {
                    success.setNoPosition(Shared.Empty.getDefaultInstance());
                } else {
                    success.setPosition(AppendResp.Position.newBuilder()
                            .setCommitPosition(result.position())
                            .setPreparePosition(result.position()));
                }
                reply = AppendResp.newBuilder().setSuccess(success).build();
            } catch (LogException.WrongExpectedVersion e) {
                reply = AppendResp.newBuilder()
                        .setWrongExpectedVersion(wrongExpectedVersion(e))
                        .build();
            } catch (LogException e) {
                fail(Responses.toStatus("Append", e));
                return;
            }
            response.onNext(reply);
            response.onCompleted();
        }

        private void fail(StatusRuntimeException error) {
            failed = true;
            response.onError(error);
        }
    }

    /** Both the current and the pre-20.6 fields, as the real server fills them. */
    private static AppendResp.WrongExpectedVersion wrongExpectedVersion(LogException.WrongExpectedVersion e) {
        AppendResp.WrongExpectedVersion.Builder wrong = AppendResp.WrongExpectedVersion.newBuilder();
        Shared.Empty empty = Shared.Empty.getDefaultInstance();
        if (e.expected == ExpectedVersion.ANY) {
            wrong.setExpectedAny(empty).setAny2060(empty);
        } else if (e.expected == ExpectedVersion.STREAM_EXISTS) {
            wrong.setExpectedStreamExists(empty).setStreamExists2060(empty);
        } else if (e.expected == ExpectedVersion.NO_STREAM) {
            wrong.setExpectedNoStream(empty).setExpectedRevision2060(-1L);
        } else {
            wrong.setExpectedRevision(e.expected).setExpectedRevision2060(e.expected);
        }
        if (e.actual < 0) {
            wrong.setCurrentNoStream(empty).setNoStream2060(empty);
        } else {
            wrong.setCurrentRevision(e.actual).setCurrentRevision2060(e.actual);
        }
        return wrong.build();
    }

    private static StatusRuntimeException missingMetadata(String property) {
        Metadata trailers = new Metadata();
        trailers.put(
                Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER), "missing-required-metadata-property");
        trailers.put(
                Metadata.Key.of("required-metadata-properties", Metadata.ASCII_STRING_MARSHALLER), "type,content-type");
        return Status.INVALID_ARGUMENT
                .withDescription("Required Metadata Property '" + property + "' is missing")
                .asRuntimeException(trailers);
    }

    @Override
    public void delete(DeleteReq request, StreamObserver<DeleteResp> responseObserver) {
        DeleteReq.Options options = request.getOptions();
        deleteStream(
                options.getStreamIdentifier().getStreamName().toStringUtf8(),
                ExpectedVersion.fromWire(options.getExpectedStreamRevisionCase(), options.getRevision()),
                log::softDelete,
                position -> DeleteResp.newBuilder()
                        .setPosition(DeleteResp.Position.newBuilder()
                                .setCommitPosition(position)
                                .setPreparePosition(position))
                        .build(),
                responseObserver);
    }

    @Override
    public void tombstone(TombstoneReq request, StreamObserver<TombstoneResp> responseObserver) {
        TombstoneReq.Options options = request.getOptions();
        deleteStream(
                options.getStreamIdentifier().getStreamName().toStringUtf8(),
                ExpectedVersion.fromWire(options.getExpectedStreamRevisionCase(), options.getRevision()),
                log::tombstone,
                position -> TombstoneResp.newBuilder()
                        .setPosition(TombstoneResp.Position.newBuilder()
                                .setCommitPosition(position)
                                .setPreparePosition(position))
                        .build(),
                responseObserver);
    }

    /** A soft or hard delete in the log; returns the position of the record it wrote. */
    private interface Deletion {
        long delete(String stream, long expectedRevision) throws LogException;
    }

    private static <R> void deleteStream(
            String stream,
            long expected,
            Deletion deletion,
            java.util.function.LongFunction<R> reply,
            StreamObserver<R> responseObserver) {
        try {
            long position = deletion.delete(stream, expected);
            responseObserver.onNext(reply.apply(position));
            responseObserver.onCompleted();
        } catch (LogException e) {
            responseObserver.onError(Responses.toStatus("Delete", e));
        }
    }
}
