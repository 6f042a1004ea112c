package dev.camel.eventstore;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Creating EventStoreDB clients from connection strings, and saying where they point without their secrets. */
public final class Clients {
    /** Everything up to the last {@code @} of a URI: a password may itself hold {@code @}, {@code /} or {@code ?}. */
    /** User info in a connection string, also in one whose scheme is malformed ({@code esdb//user:pw@host}). */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)\\S*@|(?<=^|//)[^\\s/@:]+:(?!//)\\S*@");

    private Clients() {}

    /** A client and whether its holder must shut it down. */
    public static final class Handle implements AutoCloseable {
        private final EventStoreDBClient client;
        private final boolean owned;

        private Handle(EventStoreDBClient client, boolean owned) {
            this.client = client;
            this.owned = owned;
        }

        public EventStoreDBClient client() {
            return client;
        }

        /** Whether the client was created for this holder (and may be re-created after it shut itself down). */
        public boolean owned() {
            return owned;
        }

        /** Shuts the client down if this holder owns it. */
        @Override
        public void close() {
            if (owned) {
                try {
                    client.shutdown().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the client is going away either way; nothing useful to report
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    static Handle shared(EventStoreDBClient client) {
        return new Handle(client, false);
    }

    /**
     * A new client for a connection string.
     *
     * @throws IllegalArgumentException naming the problem, with any credentials removed from the message
     */
    public static Handle create(String connectionString) {
        return new Handle(EventStoreDBClient.create(parse(connectionString)), true);
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
