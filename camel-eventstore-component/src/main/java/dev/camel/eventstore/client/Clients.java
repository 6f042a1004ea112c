package dev.camel.eventstore.client;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import java.util.regex.Pattern;

/**
 * Creating EventStoreDB clients from connection strings, and saying where they point without their secrets. A
 * consumer, producer or checkpoint store holds its client through a {@link ClientHandle}.
 */
public final class Clients {
    /** User info in a connection string, also in one whose scheme is malformed ({@code esdb//user:pw@host}). */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)\\S*@|(?<=^|//)[^\\s/@:]+:(?!//)\\S*@");

    private Clients() {}

    /**
     * A new client for a connection string.
     *
     * @throws IllegalArgumentException naming the problem, with any credentials removed from the message
     */
    public static EventStoreDBClient create(String connectionString) {
        return EventStoreDBClient.create(parse(connectionString));
    }

    /** Parses a connection string; the error message never contains its credentials. */
    public static EventStoreDBClientSettings parse(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw new IllegalArgumentException("The connectionString is empty");
        }
        String trimmed = connectionString.trim();
        try {
            return EventStoreDBConnectionString.parseOrThrow(trimmed);
        } catch (RuntimeException e) {
            String withoutCredentials = USER_INFO.matcher(trimmed).replaceAll("");
            String reason;
            if (withoutCredentials.equals(trimmed)) {
                reason = reason(e);
            } else {
                // the client may have misread part of the password as a host or port and quote it in its message:
                // explain the failure from the connection string without its credentials instead
                try {
                    EventStoreDBConnectionString.parseOrThrow(withoutCredentials);
                    reason = "its credentials (user:password@) could not be parsed";
                } catch (RuntimeException withoutThem) {
                    reason = reason(withoutThem);
                }
            }
            throw new IllegalArgumentException(
                    "Invalid connectionString '" + redact(connectionString) + "': " + reason, null);
        }
    }

    /** The client wraps URL errors in plain RuntimeExceptions; the innermost message says most. */
    private static String reason(RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : redact(cause.getMessage());
    }

    /** The connection string with any {@code user:password@} replaced by {@code ***@}, for logs and errors. */
    public static String redact(String connectionString) {
        return connectionString == null
                ? null
                : USER_INFO.matcher(connectionString).replaceAll("***@");
    }
}
