package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.EventData;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An in-process server that speaks EventStoreDB's gRPC protocol, for tests, demos and benchmarks: the real
 * {@code db-client-java} connects to it as it would to EventStoreDB. Never a database to deploy: everything lives
 * in memory and is gone with the process.
 *
 * <pre>{@code
 * try (EventStoreTestServer server = EventStoreTestServer.builder().build().start()) {
 *     EventStoreDBClient client = EventStoreDBClient.create(
 *             EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
 *     ...
 * }
 * }</pre>
 *
 * <p>Besides the protocol it offers fault injection for reliability tests: {@link #stop()} and {@link #start()}
 * again on the same port with the data kept, {@link #dropSubscriptions(Status)}, {@link
 * #endSubscriptionsSilently()}, {@link #pauseDelivery()} and {@link #failAppends(Predicate, Status)}.
 */
public final class EventStoreTestServer implements AutoCloseable {
    /** The version reported to clients through ServerFeatures. */
    public static final String DEFAULT_SERVER_VERSION = "24.10.0";
    /** The real server's default limit on the size of one append. */
    public static final int DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

    private final String host;
    private final Map<String, String> users;
    private final boolean tls;
    private final String serverVersion;
    private final EventLog log;
    private final ResponsePumps pumps;
    private final ConnectionCounter connections = new ConnectionCounter();

    private int port;
    private SelfSignedCertificate certificate;
    private Server server;
    private volatile AppendFault appendFault;

    private record AppendFault(Predicate<String> streams, Status status) {}

    private EventStoreTestServer(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(builder.users));
        this.tls = builder.tls;
        this.serverVersion = builder.serverVersion;
        this.log = new EventLog(builder.maxAppendSize);
        int restored = builder.dataDirectory == null ? 0 : log.persistTo(builder.dataDirectory);
        this.pumps = new ResponsePumps(log);
        if (builder.seedSystemEvents && restored == 0) {
            SystemEvents.seed(log, host);
        }
    }

    /** A builder for a server on a free loopback port, without TLS or authentication. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server on a free port with the defaults: no TLS, no authentication. */
    public static EventStoreTestServer startDefault() {
        return builder().build().start();
    }

    /**
     * Starts listening. After {@link #stop()} it listens again on the same port, with every event kept.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public synchronized EventStoreTestServer start() {
        if (server != null) {
            return this;
        }
        List<ServerServiceDefinition> services = List.of(
                new StreamsService(log, this).definition(),
                new ClusterServices.ServerFeatures(serverVersion).bindService(),
                new ClusterServices.Gossip(host, this::port).bindService());
        server = GrpcListener.start(host, port, services, users, tls ? certificate() : null, connections);
        port = server.getPort();
        return this;
    }

    /**
     * Stops listening abruptly, as a crashed or killed server would: open calls end, connections close. The
     * data stays; {@link #start()} listens again on the same port.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        GrpcListener.stopNow(server);
        server = null;
        pumps.clear();
    }

    /** {@link #stop()} then {@link #start()}. */
    public void restart() {
        stop();
        start();
    }

    /** Whether the server listens: started and not stopped since. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the server for good and releases its threads and its data file, if it has one. */
    @Override
    public void close() {
        stop();
        pumps.shutdown();
        log.closeJournal();
    }

    /** The address listened on. */
    public String host() {
        return host;
    }

    /** Names of the users allowed in; empty when authentication is off. */
    public Set<String> users() {
        return users.keySet();
    }

    /** The port listened on (the one picked when the builder asked for port 0). */
    public synchronized int port() {
        return port;
    }

    /**
     * A connection string for the real client: with the first configured user's credentials if there are any,
     * and with {@code tlsCAFile} pointing at the generated certificate when TLS is on.
     */
    public String connectionString() {
        Map.Entry<String, String> user =
                users.isEmpty() ? null : users.entrySet().iterator().next();
        return user == null ? connectionString(null, null) : connectionString(user.getKey(), user.getValue());
    }

    /** A connection string with the given credentials ({@code null} for none). */
    public synchronized String connectionString(String username, String password) {
        return ConnectionStrings.of(host, port, username, password, tls ? certificateFile() : null);
    }

    /** The PEM file of the server's self-signed certificate, for a client's {@code tlsCAFile}. */
    public synchronized Path certificateFile() {
        if (!tls) {
            throw new IllegalStateException("TLS is not enabled on this server");
        }
        return certificate().certificateFile;
    }

    /** Generated once, on first use, and kept across restarts so that clients keep trusting the server. */
    private synchronized SelfSignedCertificate certificate() {
        if (certificate == null) {
            certificate = SelfSignedCertificate.generate(host);
        }
        return certificate;
    }

    // ---- fault injection ----

    /** Ends every open subscription with an error status (the client reports it to its listener's onCancelled). */
    public void dropSubscriptions(Status status) {
        pumps.failSubscriptions(status.asRuntimeException());
    }

    /** Ends every open subscription with UNAVAILABLE. */
    public void dropSubscriptions() {
        dropSubscriptions(Status.UNAVAILABLE.withDescription("Subscription dropped by the testkit server"));
    }

    /**
     * Ends every open subscription normally, with no error status: the 5.4.5 client then calls none of its
     * listener's methods, as it does after some real server shutdowns.
     */
    public void endSubscriptionsSilently() {
        pumps.completeSubscriptions();
    }

    /** Holds back every subscription's and read's deliveries until {@link #resumeDelivery()}; nothing is lost. */
    public void pauseDelivery() {
        pumps.pause();
    }

    /** Lets every held-back delivery go, in order. */
    public void resumeDelivery() {
        pumps.resume();
    }

    /** Fails appends to the streams the predicate accepts with the given status, until cleared. */
    public void failAppends(Predicate<String> streams, Status status) {
        appendFault = new AppendFault(streams, status);
    }

    /** Lets appends succeed again after {@link #failAppends(Predicate, Status)}. */
    public void clearAppendFailures() {
        appendFault = null;
    }

    /** Number of subscriptions currently open. */
    public int activeSubscriptions() {
        return pumps.activeSubscriptions();
    }

    /**
     * Client connections open now: gRPC transports that completed their handshake and have not ended. One
     * EventStoreDB client holds one connection to a single-node server; {@link #stop()} ends them all.
     */
    public int openConnections() {
        return connections.open();
    }

    // ---- direct access, for seeding large data sets fast ----

    /**
     * Appends events without the network, with expected revision "any": for seeding benchmarks and demos with
     * millions of events. Subscribers see them as if a client had written them.
     */
    public void append(String stream, List<EventData> events) {
        try {
            log.append(
                    stream,
                    ExpectedVersion.ANY,
                    events.stream().map(ProposedEvent::of).toList());
        } catch (LogException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Number of records in {@code $all}, system events included. */
    public long eventCount() {
        return log.size();
    }

    /** Commit position of the newest record in {@code $all}, or -1 when the log is empty. */
    public long lastPosition() {
        int size = log.size();
        return size == 0 ? -1 : log.get(size - 1).position;
    }

    // ---- used by the service ----

    void startPump(ServerCallStreamObserver<Object> observer, ResponsePump.Source source, boolean subscription) {
        pumps.start(observer, source, subscription);
    }

    StatusRuntimeException appendFault(String stream) {
        AppendFault fault = appendFault;
        return fault != null && fault.streams().test(stream) ? fault.status().asRuntimeException() : null;
    }

    /** Settings of a server; every one has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private final Map<String, String> users = new LinkedHashMap<>();
        private boolean tls;
        private String serverVersion = DEFAULT_SERVER_VERSION;
        private int maxAppendSize = DEFAULT_MAX_APPEND_SIZE;
        private boolean seedSystemEvents = true;
        private Path dataDirectory;

        private Builder() {}

        /** The address to listen on; loopback by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Adds a user and turns authentication on: calls with other credentials fail with UNAUTHENTICATED, calls
         * without credentials are anonymous and are denied access to streams.
         */
        public Builder user(String username, String password) {
            users.put(Objects.requireNonNull(username), Objects.requireNonNull(password));
            return this;
        }

        /** Serves TLS with a generated self-signed certificate (see {@link #certificateFile()}). */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** The version the server reports to clients; {@value #DEFAULT_SERVER_VERSION} by default. */
        public Builder serverVersion(String serverVersion) {
            this.serverVersion = Objects.requireNonNull(serverVersion);
            return this;
        }

        /** Largest append accepted, in bytes of data, metadata and type; 1 MiB like the real server's default. */
        public Builder maxAppendSize(int maxAppendSize) {
            this.maxAppendSize = maxAppendSize;
            return this;
        }

        /** Whether {@code $all} starts with a few system events, as a real server's does (default true). */
        public Builder seedSystemEvents(boolean seedSystemEvents) {
            this.seedSystemEvents = seedSystemEvents;
            return this;
        }

        /**
         * Keeps the events in a file in this directory (created if missing) as well as in memory, so that a server
         * built later on the same directory, in this process or another, starts with every event stored before:
         * what a demo needs to resume after a restart. Without it (the default) the data lives only as long as the
         * server object.
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory);
            return this;
        }

        /** A server with these settings, not yet listening (see {@link EventStoreTestServer#start()}). */
        public EventStoreTestServer build() {
            return new EventStoreTestServer(this);
        }
    }
}
