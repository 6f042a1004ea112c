package dev.camel.eventstore.testkit.zookeeper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.curator.test.DirectoryUtils;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.util.ServiceUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, standalone Apache ZooKeeper server running inside this JVM, for tests, demos and benchmarks: Curator's
 * {@link TestingServer} on ZooKeeper 3.9's own embedded server, the versions Camel's {@code ZooKeeperClusterService}
 * is built for. Never for production.
 *
 * <p>The server listens on {@code 127.0.0.1} only. Port 0 (the default) picks a free port on the first start, and
 * every later start uses that port again, so {@link #stop()} followed by {@link #start()} (or {@link #restart()}) brings
 * the same server back on the same address with the same data, which lets high-availability tests take the
 * coordination service away under running clients:
 *
 * <pre>{@code
 * try (ZooKeeperTestServer zookeeper = ZooKeeperTestServer.builder().build().start()) {
 *     String connectString = zookeeper.connectString(); // "127.0.0.1:<port>"
 *     ...
 *     zookeeper.restart(); // same port, same data; sessions whose clients reconnect in time survive
 * }                        // stops the server and deletes its temporary data directory
 * }</pre>
 *
 * <p>Sessions behave as on any ZooKeeper server, with ZooKeeper's default timing: a tick of 2 s, so clients get a
 * session timeout between 4 s (2 ticks) and 40 s (20 ticks); {@link Builder#tickTime(Duration)} scales all three.
 * ZooKeeper keeps sessions in its transaction log: while the server is stopped no session ages, and after a start each
 * has its whole timeout again for its client to reconnect. A client that reconnects in time keeps its session and
 * ephemeral nodes; the server expires the session of one that does not, deleting its ephemeral nodes.
 *
 * <p>ZooKeeper keeps its data (snapshots and transaction log) in {@code data} in the server's directory. By default
 * that is a new temporary directory that {@link #close()} deletes; a directory given to {@link Builder#dataDir(Path)}
 * is kept, and a server built on it later, in any process, starts with its znodes and sessions.
 *
 * <p>ZooKeeper's embedded server ends the JVM when it fails to start: {@link #start()} therefore first checks that
 * the port is free, and fails with a {@link ZooKeeperTestServerException} if it is not. Once the server runs, the
 * errors after which ZooKeeper would end the JVM are logged instead, for the whole JVM, so that a test or demo hosting
 * the server goes on.
 *
 * <p>Thread-safe. ZooKeeper logs through SLF4J.
 */
public final class ZooKeeperTestServer implements AutoCloseable {
    /** The only address the server binds to. */
    public static final String HOST = "127.0.0.1";

    /** The usual ZooKeeper client port, used by {@link ZooKeeperTestServerMain} unless told otherwise. */
    public static final int DEFAULT_PORT = 2181;

    /** ZooKeeper's default tick, the unit of its session timeouts. */
    public static final Duration DEFAULT_TICK_TIME = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperTestServer.class);

    /**
     * What ZooKeeperServerEmbedded writes at every start into the parent of ZooKeeper's data directory, the server's
     * directory, and never reads again.
     */
    private static final String GENERATED_CONFIGURATION = "zookeeper.configuration*.properties";

    private final Path directory;
    private final boolean temporary;
    private final Map<String, String> serverProperties;
    private final InstanceSpec spec;

    /** Created by the first start: Curator's configuration builder leaves a temporary file until it is closed. */
    private TestingServer server;

    private int port;
    private boolean running;
    private boolean closed;

    private ZooKeeperTestServer(Builder builder, Path directory, boolean temporary) {
        this.directory = directory;
        this.temporary = temporary;
        this.port = builder.port;
        long tick = builder.tickTime.toMillis();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("clientPortAddress", HOST);
        properties.put("tickTime", Long.toString(tick));
        properties.put("minSessionTimeout", Long.toString(2 * tick));
        properties.put("maxSessionTimeout", Long.toString(20 * tick));
        properties.putAll(builder.overrides);
        this.serverProperties = Collections.unmodifiableMap(properties);
        // Standalone: the server id and the election and quorum ports are unused (0: Curator picks no ports for them).
        this.spec = new InstanceSpec(
                directory.resolve("data").toFile(),
                port,
                0,
                0,
                false,
                1,
                (int) tick,
                -1,
                new LinkedHashMap<>(properties),
                HOST);
    }

    /** A builder for a server on a free port with a temporary data directory and ZooKeeper's default tick. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server and returns once it accepts clients. After {@link #stop()} it starts again on the same port
     * with the same data.
     *
     * @return this server
     * @throws ZooKeeperTestServerException if the port is in use or ZooKeeper fails to start (the cause tells why); a
     *     server that failed to start is stopped again and may be started later
     * @throws IllegalStateException if the server is running or closed
     */
    public synchronized ZooKeeperTestServer start() {
        if (closed || running) {
            throw new IllegalStateException(this + (closed ? " is closed" : " is already running"));
        }
        if (port != 0) {
            requireFreePort();
        }
        try {
            if (server == null) {
                server = new TestingServer(spec, false);
            }
            // From a new TestingServer and from a stopped one alike: a new embedded server on the same port and data.
            server.restart();
        } catch (Exception e) {
            throw startFailure(e);
        }
        // ZooKeeperServerEmbedded.start() set ZooKeeper's fatal errors to end the JVM: log them instead.
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
        port = server.getPort();
        running = true;
        deleteGeneratedConfiguration();
        LOG.info("ZooKeeper test server started on {} (data dir {})", connectString(), directory);
        return this;
    }

    /**
     * Shuts the server down: it closes every client connection (clients see a disconnection) and stops listening. The
     * data and the sessions stay, and {@link #start()} brings the server back on the same port. Does nothing when the
     * server is not running.
     */
    public synchronized void stop() {
        if (running) {
            running = false;
            stopServer();
            LOG.info("ZooKeeper test server on {} stopped", connectString());
        }
    }

    /** {@link #stop()} then {@link #start()}: the same server, port and data. */
    public synchronized ZooKeeperTestServer restart() {
        stop();
        return start();
    }

    /** Stops the server and deletes its data directory if it is a temporary one. Further calls do nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                stop();
            } finally {
                cleanUp();
            }
        }
    }

    /** Whether the server has been started and not stopped since. */
    public synchronized boolean isRunning() {
        return running;
    }

    /**
     * The client port, the same across restarts.
     *
     * @throws IllegalStateException if the server was built for a free port (0) and has not been started yet
     */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("ZooKeeper test server picks its free port when it first starts");
        }
        return port;
    }

    /** The connect string for clients: {@code "127.0.0.1:<port>"}; see {@link #port()}. */
    public String connectString() {
        return HOST + ":" + port();
    }

    /**
     * The server's directory, the one given to {@link Builder#dataDir(Path)} or a temporary one; ZooKeeper keeps its
     * snapshots and transaction log in {@code data} in it.
     */
    public Path dataDir() {
        return directory;
    }

    /** The ZooKeeper settings given on top of Curator's ({@code zoo.cfg} names), overrides included. */
    public Map<String, String> serverProperties() {
        return serverProperties;
    }

    @Override
    public synchronized String toString() {
        return "ZooKeeperTestServer[" + HOST + ":" + (port == 0 ? "<free port>" : port) + ", dataDir=" + dataDir()
                + ", running=" + running + "]";
    }

    private ZooKeeperTestServerException startFailure(Exception e) {
        ZooKeeperTestServerException failure = new ZooKeeperTestServerException(
                "ZooKeeper test server failed to start on " + HOST + ":" + port + " (data dir " + directory + "): "
                        + e.getMessage(),
                e);
        if (server != null) {
            try {
                stopServer();
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
        return failure;
    }

    private void stopServer() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new ZooKeeperTestServerException(
                    "ZooKeeper test server " + HOST + ":" + port + " failed to stop cleanly: " + e.getMessage(), e);
        }
    }

    /** Closes Curator's server (which deletes its temporary file) and deletes a temporary data directory. */
    private void cleanUp() {
        try {
            if (server != null) {
                server.close();
            }
            if (temporary) {
                DirectoryUtils.deleteRecursively(directory.toFile());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not clean up after ZooKeeper test server {}", this, e);
        }
    }

    /**
     * Fails with a message naming the port when something listens there, before ZooKeeper's embedded server would
     * end the JVM over it.
     */
    private void requireFreePort() {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            LOG.debug("Port {} is free", probe.getLocalPort());
        } catch (IOException e) {
            throw new ZooKeeperTestServerException(
                    "ZooKeeper test server cannot start: port " + HOST + ":" + port + " is already in use ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    private void deleteGeneratedConfiguration() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, GENERATED_CONFIGURATION)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.debug("Could not delete the configuration ZooKeeper generated in {}", directory, e);
        }
    }

    /** Configures a {@link ZooKeeperTestServer}; {@link #build()} creates its directory. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private Duration tickTime = DEFAULT_TICK_TIME;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** The client port on 127.0.0.1; 0 (the default) picks a free port when the server first starts. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A directory to use and keep: created if missing, never deleted; ZooKeeper's data goes to {@code data} in it.
         * Without one the server uses a new temporary directory that {@link ZooKeeperTestServer#close()} deletes.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * ZooKeeper's tick ({@code tickTime}), default 2 s; sessions may last from 2 to 20 ticks
         * ({@code minSessionTimeout}, {@code maxSessionTimeout}). A shorter tick makes session expiry faster to test.
         */
        public Builder tickTime(Duration tickTime) {
            long millis = Objects.requireNonNull(tickTime, "tickTime").toMillis();
            if (millis < 1 || millis > 60_000) {
                throw new IllegalArgumentException("tickTime must be between 1 ms and 1 minute, was " + tickTime);
            }
            this.tickTime = tickTime;
            return this;
        }

        /** Any other ZooKeeper setting ({@code zoo.cfg} name), applied last, so it also overrides the ones above. */
        public Builder serverProperty(String name, String value) {
            overrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Creates the server's directory; does not start the server. */
        public ZooKeeperTestServer build() {
            boolean temporary = dataDir == null;
            try {
                Path directory = temporary
                        ? Files.createTempDirectory("zookeeper-test-server-")
                        : Files.createDirectories(dataDir.toAbsolutePath());
                return new ZooKeeperTestServer(this, directory, temporary);
            } catch (IOException e) {
                throw new ZooKeeperTestServerException(
                        "Could not create ZooKeeper data directory " + (temporary ? "" : dataDir) + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }
}
