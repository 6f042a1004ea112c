package dev.camel.eventstore.testkit;

import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the client connections (gRPC transports) open on the server: ready ones count until they end. What tests and
 * benchmarks ask when they check that clients sharing a connection string share one connection.
 */
final class ConnectionCounter extends ServerTransportFilter {
    private final AtomicInteger open = new AtomicInteger();

    @Override
    public Attributes transportReady(Attributes transportAttrs) {
        open.incrementAndGet();
        return transportAttrs.toBuilder().set(COUNTED, Boolean.TRUE).build();
    }

    @Override
    public void transportTerminated(Attributes transportAttrs) {
        // grpc-java also ends transports that never became ready (a failed handshake): those hold no marker
        if (transportAttrs != null && transportAttrs.get(COUNTED) != null) {
            open.decrementAndGet();
        }
    }

    int open() {
        return open.get();
    }

    /** Marks the transports counted as ready. */
    static final Attributes.Key<Boolean> COUNTED = Attributes.Key.create("testkit.counted");
}
