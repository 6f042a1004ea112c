package dev.camel.eventstore.client;

import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.NotLeaderException;
import com.eventstore.dbclient.StreamDeletedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failure of a client call means: the one place that reads the client's and gRPC's exceptions. */
public final class ClientFailures {
    private static final Metadata.Key<String> EXCEPTION =
            Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);

    private ClientFailures() {}

    /** The failure itself, without the {@code ExecutionException}/{@code CompletionException} around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether the client shut itself down (after failing to reach the server) and must be replaced. */
    public static boolean isClientShutdown(Throwable failure) {
        return unwrap(failure) instanceof ConnectionShutdownException;
    }

    /**
     * Why retrying cannot fix a failed subscription (refused credentials, denied access, a rejected request, a
     * deleted stream), or {@code null} when it can.
     */
    public static String fatalReason(Throwable failure) {
        Throwable f = unwrap(failure);
        if (f instanceof StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAUTHENTICATED) {
                return "EventStoreDB refused the credentials (UNAUTHENTICATED): check the username and password";
            }
            if (code == Status.Code.PERMISSION_DENIED) {
                return "EventStoreDB denied access (PERMISSION_DENIED): the user, or an anonymous connection, may"
                        + " not read this stream";
            }
            if (code == Status.Code.INVALID_ARGUMENT) {
                return "EventStoreDB rejected the subscription: "
                        + e.getStatus().getDescription();
            }
            String exception = e.getTrailers() == null ? null : e.getTrailers().get(EXCEPTION);
            if ("stream-deleted".equals(exception)) {
                return "the stream was deleted (tombstoned): " + e.getStatus().getDescription();
            }
        }
        if (f instanceof StreamDeletedException e) {
            return "the stream was deleted (tombstoned): " + e.getMessage();
        }
        if (f instanceof IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** The failure in a few words for logs and health checks, without credentials. */
    public static String describe(Throwable failure) {
        Throwable f = unwrap(failure);
        if (f == null) {
            return "the subscription ended";
        }
        if (f instanceof StatusRuntimeException e) {
            return e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null
                            ? ""
                            : " " + e.getStatus().getDescription());
        }
        if (f instanceof ConnectionShutdownException) {
            return "the client could not reach the server and shut down";
        }
        if (f instanceof NotLeaderException e) {
            return "the node is not the leader: " + e.getMessage();
        }
        String message = f.getMessage();
        return f.getClass().getSimpleName() + (message == null ? "" : ": " + Clients.redact(message));
    }
}
