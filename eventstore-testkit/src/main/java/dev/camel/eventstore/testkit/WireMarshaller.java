package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Marshals Read responses that are either messages or already-serialised bytes, so that stored events go out as
 * they are kept, without being encoded again for every subscriber.
 */
final class WireMarshaller implements MethodDescriptor.Marshaller<Object> {
    private static final MethodDescriptor.Marshaller<ReadResp> MESSAGES =
            ProtoUtils.marshaller(ReadResp.getDefaultInstance());

    @Override
    public InputStream stream(Object value) {
        if (value instanceof byte[] bytes) {
            return new SerialisedMessage(bytes);
        }
        return MESSAGES.stream((ReadResp) value);
    }

    @Override
    public Object parse(InputStream stream) {
        return MESSAGES.parse(stream);
    }

    /** gRPC writes a {@link Drainable} of {@link KnownLength} straight into its frame, with no extra copy. */
    private static final class SerialisedMessage extends ByteArrayInputStream implements KnownLength, Drainable {
        SerialisedMessage(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int length = count - pos;
            target.write(buf, pos, length);
            pos = count;
            return length;
        }
    }
}
