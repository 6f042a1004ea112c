package dev.camel.eventstore.client;

import com.eventstore.dbclient.EventStoreDBClient;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Where and as whom to reach EventStoreDB: a connection string or a client, and the credentials for every call.
 * They are the connection options of every {@code eventstore:} endpoint ({@code EventStoreConfiguration} extends
 * this class) and the connection properties of the {@code EventStoreResumeStrategy}.
 */
@UriParams
public class ConnectionSettings {
    @UriParam(
            label = "common,security",
            secret = true,
            description = "The EventStoreDB connection string, for example esdb://localhost:2113 with the query"
                    + " tls=false. It may hold credentials (user name and password before the host); it is masked"
                    + " wherever Camel prints URIs or options. Required unless a client is given.")
    private String connectionString;

    @UriParam(
            label = "common,advanced",
            description = "An EventStoreDB client to use instead of one created from the connection string. Not needed"
                    + " to share a client: endpoints and checkpoint stores of a CamelContext with the same connection"
                    + " string share one already. The endpoint never shuts a given client down, so a consumer cannot"
                    + " recover a given client that shut itself down after its discovery attempts: prefer the"
                    + " connection string for consumers.")
    private EventStoreDBClient client;

    @UriParam(
            label = "common,security",
            secret = true,
            description = "User name for every call (overrides the connection string's).")
    private String username;

    @UriParam(label = "common,security", secret = true, description = "Password for every call.")
    private String password;

    /** Whether a client, or a connection string that is not blank, is set. */
    public boolean hasConnection() {
        return client != null || (connectionString != null && !connectionString.isBlank());
    }

    /**
     * A handle on the client when one is set, else on a client of its own created from the connection string (for
     * checking the settings, and outside a CamelContext).
     *
     * @throws IllegalArgumentException when neither is set, or the connection string is malformed (without its
     *     credentials in the message)
     */
    public ClientHandle handle() {
        return ClientHandle.of(connectionString, client);
    }

    /**
     * A handle on the client when one is set, else on the client {@code context} shares among everything using the
     * same connection string ({@link SharedClients}). The username and password options are not part of what is
     * shared: they go with each call.
     *
     * @throws IllegalArgumentException as {@link #handle()}
     */
    public ClientHandle handle(CamelContext context) {
        return ClientHandle.of(connectionString, client, client == null ? SharedClients.of(context) : null);
    }

    /** The username and password, or {@link Credentials#NONE} without a username. */
    public Credentials credentials() {
        return Credentials.of(username, password);
    }

    public String getConnectionString() {
        return connectionString;
    }

    public void setConnectionString(String connectionString) {
        this.connectionString = connectionString;
    }

    public EventStoreDBClient getClient() {
        return client;
    }

    public void setClient(EventStoreDBClient client) {
        this.client = client;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
