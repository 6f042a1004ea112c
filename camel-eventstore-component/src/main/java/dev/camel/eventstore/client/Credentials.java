package dev.camel.eventstore.client;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;

/**
 * The username and password options, applied to each call the consumer, the producer or the checkpoint store makes (the client's option types share no public supertype,
 * hence one method per type). Without them the connection string's credentials apply.
 */
public record Credentials(String username, String password) {
    /** No credentials of their own: the connection string's apply. */
    public static final Credentials NONE = new Credentials(null, null);

    /** The credentials, or {@link #NONE} without a username. */
    public static Credentials of(String username, String password) {
        return username == null || username.isBlank() ? NONE : new Credentials(username, password);
    }

    public ReadAllOptions apply(ReadAllOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    public ReadStreamOptions apply(ReadStreamOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    public SubscribeToAllOptions apply(SubscribeToAllOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    public SubscribeToStreamOptions apply(SubscribeToStreamOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    public AppendToStreamOptions apply(AppendToStreamOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return username == null ? "none" : username + ":***";
    }
}
