package dev.camel.eventstore.testkit;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends the responses of one read or subscription call, never faster than the transport accepts them.
 *
 * <p>All sending happens in {@link #drain}, which runs on one thread at a time (a work-in-progress counter), so
 * events, the end of the call and injected faults never interleave. Anything that may let more messages go out
 * (the transport became ready, an append, delivery resumed, a fault) only {@link #signal signals} the pump.
 */
final class ResponsePump {
    /** What a call sends. */
    interface Source {
        /**
         * The next message (a {@code ReadResp}, or one already serialised as {@code byte[]}), or {@code null} when
         * none is available now. May throw to end the call with it.
         */
        Object next();

        /** True once the call has sent everything it ever will. */
        boolean finished();
    }

    /** Messages sent per turn before the thread is handed to other calls. */
    private static final int BATCH = 1024;

    private final ServerCallStreamObserver<Object> observer;
    private final Source source;
    private final Executor executor;
    private final BooleanSupplier paused;
    private final Consumer<ResponsePump> onDone;
    private final AtomicInteger wip = new AtomicInteger();

    private volatile boolean done;
    private volatile boolean completeRequested;
    private volatile StatusRuntimeException errorRequested;

    ResponsePump(
            ServerCallStreamObserver<Object> observer,
            Source source,
            Executor executor,
            BooleanSupplier paused,
            Consumer<ResponsePump> onDone) {
        this.observer = observer;
        this.source = source;
        this.executor = executor;
        this.paused = paused;
        this.onDone = onDone;
        observer.setOnCancelHandler(this::finish);
        observer.setOnReadyHandler(this::signal);
    }

    void signal() {
        if (!done && wip.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    /** Ends the call with an error status at the next opportunity. */
    void fail(StatusRuntimeException error) {
        errorRequested = error;
        signal();
    }

    /** Ends the call normally (no status the client reports) at the next opportunity. */
    void complete() {
        completeRequested = true;
        signal();
    }

    boolean isDone() {
        return done;
    }

    private void drain() {
        int missed = 1;
        while (true) {
            if (!emit()) {
                // budget used up with more to send: yield the thread, keep the counter so no signal is lost
                executor.execute(this::drain);
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Sends what it can; false when it stopped only because the batch budget ran out. */
    private boolean emit() {
        try {
            for (int sent = 0; !done; sent++) {
                if (errorRequested != null) {
                    StatusRuntimeException error = errorRequested;
                    finish();
                    observer.onError(error);
                    return true;
                }
                if (completeRequested || source.finished()) {
                    finish();
                    observer.onCompleted();
                    return true;
                }
                if (paused.getAsBoolean() || !observer.isReady()) {
                    return true;
                }
                if (sent == BATCH) {
                    return false;
                }
                Object next = source.next();
                if (next == null) {
                    // a last look: the source may have finished while producing nothing
                    if (source.finished()) {
                        continue;
                    }
                    return true;
                }
                observer.onNext(next);
            }
        } catch (StatusRuntimeException e) {
            if (!done) {
                finish();
                safeError(e);
            }
        } catch (RuntimeException e) {
            if (!done) {
                finish();
                safeError(io.grpc.Status.INTERNAL
                        .withDescription(e.toString())
                        .withCause(e)
                        .asRuntimeException());
            }
        }
        return true;
    }

    private void safeError(StatusRuntimeException e) {
        try {
            observer.onError(e);
        } catch (RuntimeException ignored) {
            // the call is already closed (cancelled by the client or the server shut down)
        }
    }

    private void finish() {
        if (!done) {
            done = true;
            onDone.accept(this);
        }
    }
}
