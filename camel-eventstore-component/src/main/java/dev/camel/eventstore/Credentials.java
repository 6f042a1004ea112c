package dev.camel.eventstore;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;

/**
 * The username and password options, applied to each call (the client's option types share no public supertype,
 * hence one method per type). Without them the connection string's credentials apply.
 */
record Credentials(String username, String password) {
    static final Credentials NONE = new Credentials(null, null);

    static Credentials of(String username, String password) {
        return username == null ? NONE : new Credentials(username, password);
    }

    ReadAllOptions apply(ReadAllOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    ReadStreamOptions apply(ReadStreamOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    SubscribeToAllOptions apply(SubscribeToAllOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    SubscribeToStreamOptions apply(SubscribeToStreamOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    AppendToStreamOptions apply(AppendToStreamOptions options) {
        return username == null ? options : options.authenticated(username, password);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return username == null ? "none" : username + ":***";
    }
}
