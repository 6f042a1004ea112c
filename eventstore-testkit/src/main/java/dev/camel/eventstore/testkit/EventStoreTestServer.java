package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.EventData;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

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

    private static final int MAX_INBOUND_MESSAGE_SIZE = 32 * 1024 * 1024;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String host;
    private final Map<String, String> users;
    private final boolean tls;
    private final String serverVersion;
    private final EventLog log;
    private final ExecutorService pumpExecutor;
    private final Set<ResponsePump> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<ResponsePump> reads = ConcurrentHashMap.newKeySet();

    private int port;
    private SelfSignedCertificate certificate;
    private Server server;
    private volatile boolean paused;
    private volatile AppendFault appendFault;

    private record AppendFault(Predicate<String> streams, Status status) {}

    private EventStoreTestServer(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.users));
        this.tls = builder.tls;
        this.serverVersion = builder.serverVersion;
        this.log = new EventLog(builder.maxAppendSize);
        int restored = builder.dataDirectory == null ? 0 : log.persistTo(builder.dataDirectory);
        this.pumpExecutor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "eventstore-testkit-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (builder.seedSystemEvents && restored == 0) {
            seedSystemEvents();
        }
    }

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
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .directExecutor()
                .withOption(ChannelOption.SO_REUSEADDR, true)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                // the client pings every 10 s; grpc-java's default policy would answer with GOAWAY too_many_pings
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(withAuthentication(new StreamsService(log, this).definition()))
                .addService(withAuthentication(new ClusterServices.ServerFeatures(serverVersion).bindService()))
                .addService(withAuthentication(new ClusterServices.Gossip(host, this::port).bindService()));
        if (tls) {
            if (certificate == null) {
                certificate = SelfSignedCertificate.generate(host);
            }
            try {
                builder.sslContext(GrpcSslContexts.forServer(
                                certificate.certificateFile.toFile(), certificate.privateKeyFile.toFile())
                        .build());
            } catch (SSLException e) {
                throw new IllegalStateException("Cannot set up TLS", e);
            }
        }
        Server started = builder.build();
        try {
            started.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server = started;
        port = started.getPort();
        return this;
    }

    private ServerServiceDefinition withAuthentication(ServerServiceDefinition service) {
        return users.isEmpty() ? service : ServerInterceptors.intercept(service, new BasicAuthInterceptor(users));
    }

    /**
     * Stops listening abruptly, as a crashed or killed server would: open calls end, connections close. The
     * data stays; {@link #start()} listens again on the same port.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
        subscriptions.clear();
        reads.clear();
    }

    /** {@link #stop()} then {@link #start()}. */
    public void restart() {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
        pumpExecutor.shutdownNow();
        log.closeJournal();
    }

    public String host() {
        return host;
    }

    /** Names of the users allowed in; empty when authentication is off. */
    public java.util.Set<String> users() {
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
        StringBuilder s = new StringBuilder("esdb://");
        if (username != null) {
            s.append(encode(username))
                    .append(':')
                    .append(encode(Objects.requireNonNull(password)))
                    .append('@');
        }
        s.append(host).append(':').append(port);
        if (tls) {
            s.append("?tls=true&tlsCAFile=").append(certificateFile());
        } else {
            s.append("?tls=false");
        }
        return s.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The PEM file of the server's self-signed certificate, for a client's {@code tlsCAFile}. */
    public synchronized Path certificateFile() {
        if (!tls) {
            throw new IllegalStateException("TLS is not enabled on this server");
        }
        if (certificate == null) {
            certificate = SelfSignedCertificate.generate(host);
        }
        return certificate.certificateFile;
    }

    // ---- fault injection ----

    /** Ends every open subscription with an error status (the client reports it to its listener's onCancelled). */
    public void dropSubscriptions(Status status) {
        StatusRuntimeException error = status.asRuntimeException();
        subscriptions.forEach(pump -> pump.fail(error));
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
        subscriptions.forEach(ResponsePump::complete);
    }

    /** Holds back every subscription's and read's deliveries until {@link #resumeDelivery()}; nothing is lost. */
    public void pauseDelivery() {
        paused = true;
    }

    public void resumeDelivery() {
        paused = false;
        subscriptions.forEach(ResponsePump::signal);
        reads.forEach(ResponsePump::signal);
    }

    /** Fails appends to the streams the predicate accepts with the given status, until cleared. */
    public void failAppends(Predicate<String> streams, Status status) {
        appendFault = new AppendFault(streams, status);
    }

    public void clearAppendFailures() {
        appendFault = null;
    }

    /** Number of subscriptions currently open. */
    public int activeSubscriptions() {
        return (int) subscriptions.stream().filter(pump -> !pump.isDone()).count();
    }

    // ---- direct access, for seeding large data sets fast ----

    /**
     * Appends events without the network, with expected revision "any": for seeding benchmarks and demos with
     * millions of events. Subscribers see them as if a client had written them.
     */
    public void append(String stream, List<EventData> events) {
        List<ProposedEvent> proposed = new ArrayList<>(events.size());
        for (EventData event : events) {
            proposed.add(new ProposedEvent(
                    ProposedEvent.uuid(event.getEventId()),
                    event.getEventType(),
                    event.getContentType(),
                    ByteString.copyFrom(event.getEventData()),
                    event.getUserMetadata() == null ? ByteString.EMPTY : ByteString.copyFrom(event.getUserMetadata())));
        }
        try {
            log.append(stream, ExpectedVersion.ANY, proposed);
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
        Set<ResponsePump> registry = subscription ? subscriptions : reads;
        ResponsePump[] holder = new ResponsePump[1];
        Runnable wakeUp = () -> holder[0].signal();
        ResponsePump pump = new ResponsePump(observer, source, pumpExecutor, () -> paused, done -> {
            registry.remove(done);
            if (subscription) {
                log.removeAppendListener(wakeUp);
            }
        });
        holder[0] = pump;
        registry.add(pump);
        if (subscription) {
            log.addAppendListener(wakeUp);
        }
        pump.signal();
    }

    StatusRuntimeException appendFault(String stream) {
        AppendFault fault = appendFault;
        return fault != null && fault.streams().test(stream) ? fault.status().asRuntimeException() : null;
    }

    private void seedSystemEvents() {
        // what a fresh real server already has in $all, so that "exclude system events" is always exercised
        try {
            log.append(
                    "$$$scavenges",
                    ExpectedVersion.ANY,
                    List.of(ProposedEvent.json(StoredEvent.METADATA_EVENT_TYPE, "{\"$maxAge\":2592000}")));
            log.append(
                    "$$$stats-" + host + ":2113",
                    ExpectedVersion.ANY,
                    List.of(ProposedEvent.json(StoredEvent.METADATA_EVENT_TYPE, "{\"$maxAge\":86400}")));
        } catch (LogException e) {
            throw new IllegalStateException(e);
        }
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
        private java.nio.file.Path dataDirectory;

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
        public Builder dataDirectory(java.nio.file.Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory);
            return this;
        }

        public EventStoreTestServer build() {
            return new EventStoreTestServer(this);
        }
    }
}
