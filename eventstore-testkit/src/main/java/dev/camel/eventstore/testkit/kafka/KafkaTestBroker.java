package dev.camel.eventstore.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker (KRaft mode, broker and controller in one) running inside this JVM, for
 * tests, demos and benchmarks. Never for production.
 *
 * <p>The broker listens on {@code 127.0.0.1} only. Its ports are fixed when the broker is built (port 0 picks a free
 * loopback port), so {@link #stop()} followed by {@link #start()} brings the same broker back on the same address with
 * the same data, which lets reliability tests take Kafka away under running clients:
 *
 * <pre>{@code
 * try (KafkaTestBroker kafka = KafkaTestBroker.builder().build().start()) {
 *     kafka.createTopic("orders", 3);
 *     String bootstrapServers = kafka.bootstrapServers(); // "127.0.0.1:<port>"
 *     ...
 *     kafka.stop();  // clean shutdown, data kept
 *     kafka.start(); // same port, same data
 * }                  // stops the broker and deletes its temporary log directory
 * }</pre>
 *
 * <p>The log directory is formatted once before the first start, as {@code kafka-storage.sh format} does, and is left
 * alone when it already holds a {@code meta.properties} file. By default it is a new temporary directory that
 * {@link #close()} deletes; a directory given to {@link Builder#logDir(Path)} is kept.
 *
 * <p>The settings suit a single node: replication factor 1 and minimum ISR 1 everywhere (also for the consumer offsets
 * and transaction state topics, without which consumer groups and transactions stall), no initial rebalance delay, a
 * small log cleaner buffer, and automatic topic creation.
 *
 * <p>Thread-safe. Kafka logs through SLF4J.
 */
public final class KafkaTestBroker implements AutoCloseable {
    /** The only address the broker binds to and advertises. */
    public static final String HOST = "127.0.0.1";

    /** The usual Kafka port, used by {@link KafkaTestBrokerMain} unless told otherwise. */
    public static final int DEFAULT_PORT = 9092;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestBroker.class);
    private static final int NODE_ID = 1;
    private static final String META_PROPERTIES = "meta.properties";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    static {
        // Kafka ends the JVM on fatal broker errors (a failed log directory, a fenced broker at startup): fine for
        // a broker process, fatal for the tests or the demo hosting this one. The error is logged and the broker
        // is left to fail its clients instead.
        Exit.setExitProcedure((status, message) ->
                LOG.error("Kafka test broker: Kafka asked to exit the JVM ({}): {}; the JVM goes on", status, message));
        Exit.setHaltProcedure((status, message) ->
                LOG.error("Kafka test broker: Kafka asked to halt the JVM ({}): {}; the JVM goes on", status, message));
    }

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final boolean temporaryLogDir;
    private final Map<String, String> serverProperties;

    private KafkaRaftServer server;
    private boolean closed;

    private KafkaTestBroker(Builder builder, int port, int controllerPort, Path logDir, boolean temporaryLogDir) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDir = logDir;
        this.temporaryLogDir = temporaryLogDir;
        this.serverProperties = Map.copyOf(buildServerProperties(builder, port, controllerPort, logDir));
    }

    /** A builder for a broker on a free port with a temporary log directory and one partition per new topic. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker, formatting its log directory first if it has never been formatted, and returns once the
     * broker accepts clients.
     *
     * @return this broker
     * @throws KafkaTestBrokerException if a port is in use, the log directory cannot be formatted, or Kafka fails to
     *     start (the cause tells why); a broker that failed to start is stopped again and may be started later
     * @throws IllegalStateException if the broker is running or closed
     */
    public synchronized KafkaTestBroker start() {
        if (closed) {
            throw new IllegalStateException("Kafka test broker " + bootstrapServers() + " is closed");
        }
        if (server != null) {
            throw new IllegalStateException("Kafka test broker " + bootstrapServers() + " is already running");
        }
        long startNanos = System.nanoTime();
        requirePortFree(port, "broker");
        requirePortFree(controllerPort, "controller");
        long formatNanos = System.nanoTime();
        boolean formatted = formatIfNeeded();
        formatNanos = System.nanoTime() - formatNanos;

        KafkaRaftServer newServer;
        try {
            newServer = new KafkaRaftServer(new KafkaConfig(serverProperties, false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new KafkaTestBrokerException("Invalid Kafka test broker configuration: " + e.getMessage(), e);
        }
        try {
            newServer.startup();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            KafkaTestBrokerException failure = new KafkaTestBrokerException(
                    "Kafka test broker failed to start on " + bootstrapServers() + " (log dir " + logDir + "): "
                            + messages(e),
                    e);
            try {
                shutDown(newServer);
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
        server = newServer;
        LOG.info(
                "Kafka test broker started on {} in {} ms{} (log dir {})",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                formatted ? " including " + TimeUnit.NANOSECONDS.toMillis(formatNanos) + " ms to format storage" : "",
                logDir);
        return this;
    }

    /**
     * Shuts the broker down cleanly and waits until it has stopped. Its data stays, and {@link #start()} brings it back
     * on the same port. Does nothing when the broker is not running.
     */
    public synchronized void stop() {
        KafkaRaftServer running = server;
        if (running == null) {
            return;
        }
        server = null;
        long stopNanos = System.nanoTime();
        try {
            shutDown(running);
        } catch (RuntimeException e) {
            throw new KafkaTestBrokerException(
                    "Kafka test broker " + bootstrapServers() + " failed to stop cleanly: " + e.getMessage(), e);
        }
        LOG.info(
                "Kafka test broker on {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos));
    }

    /** {@link #stop()} then {@link #start()}: the same broker, port and data. */
    public synchronized KafkaTestBroker restart() {
        stop();
        return start();
    }

    /** Stops the broker and deletes its log directory if it is a temporary one. Further calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            if (temporaryLogDir) {
                deleteRecursively(logDir);
            }
        }
    }

    /** Whether the broker has been started and not stopped since. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The {@code bootstrap.servers} value for clients: {@code "127.0.0.1:<port>"}, known before the first start. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client (PLAINTEXT) port, the same across restarts. */
    public int port() {
        return port;
    }

    /** The KRaft controller port, the same across restarts. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The log directory holding all topic data and the cluster metadata. */
    public Path logDir() {
        return logDir;
    }

    /** The complete broker configuration, as given to Kafka. */
    public Map<String, String> serverProperties() {
        return serverProperties;
    }

    /**
     * Creates a topic with replication factor 1 and waits until the broker serves every partition.
     *
     * @throws KafkaTestBrokerException if the topic already exists or cannot be created within 30 seconds
     * @throws IllegalStateException if the broker is not running
     */
    public void createTopic(String name, int partitions) {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (!isRunning()) {
            throw new IllegalStateException("Kafka test broker " + bootstrapServers() + " is not running");
        }
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitTopicServed(admin, name, partitions, deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new KafkaTestBrokerException("Topic '" + name + "' already exists on " + bootstrapServers(), e);
            }
            throw new KafkaTestBrokerException(
                    "Could not create topic '" + name + "' on " + bootstrapServers() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaTestBrokerException(
                    "Topic '" + name + "' was not created on " + bootstrapServers() + " within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaTestBrokerException("Interrupted while creating topic '" + name + "'", e);
        }
    }

    @Override
    public String toString() {
        return "KafkaTestBroker[" + bootstrapServers() + ", logDir=" + logDir + ", running=" + isRunning() + "]";
    }

    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-test-broker-admin");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return properties;
    }

    private void awaitTopicServed(Admin admin, String name, int partitions, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        while (true) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                throw new TimeoutException("topic " + name + " not served yet");
            }
            try {
                TopicDescription description = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get(remainingMillis, TimeUnit.MILLISECONDS)
                        .get(name);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(KafkaTestBroker::hasLeader)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            // Metadata reaches the broker a moment after the controller commits the topic.
            Thread.sleep(10);
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    /** Formats the log directory as {@code kafka-storage.sh format} does, unless it has been formatted already. */
    private boolean formatIfNeeded() {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            return false;
        }
        Path configFile = null;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            configFile = Files.createTempFile("kafka-test-broker-", ".properties");
            Properties properties = new Properties();
            properties.putAll(serverProperties);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                properties.store(out, "Kafka test broker");
            }
            String[] args = {
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                configFile.toString(),
                "--ignore-formatted"
            };
            int status;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                status = StorageTool.execute(args, print);
            }
            if (status != 0) {
                throw new KafkaTestBrokerException(
                        "Could not format Kafka log directory " + logDir + " (status " + status + "): "
                                + output.toString(StandardCharsets.UTF_8).trim());
            }
            return true;
        } catch (IOException e) {
            throw new KafkaTestBrokerException(
                    "Could not prepare Kafka log directory " + logDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof KafkaTestBrokerException) {
                throw e;
            }
            throw new KafkaTestBrokerException(
                    "Could not format Kafka log directory " + logDir + ": " + e.getMessage(), e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException e) {
                    LOG.warn("Could not delete {}", configFile, e);
                }
            }
        }
    }

    /** The distinct messages along a cause chain: Kafka wraps the telling one (such as a bind failure) deep down. */
    static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            String message =
                    t.getMessage() != null ? t.getMessage() : t.getClass().getName();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    private static void shutDown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Map<String, String> buildServerProperties(
            Builder builder, int port, int controllerPort, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        p.put("num.partitions", Integer.toString(builder.numPartitions));
        p.put("auto.create.topics.enable", "true");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Single node: internal topics must not ask for three replicas, or groups and transactions stall.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", Integer.toString(builder.internalTopicPartitions));
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", Integer.toString(builder.internalTopicPartitions));
        // The first consumer group member joins at once instead of after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The 128 MiB default is wasteful in tests.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        // Fail instead of hanging forever when something keeps the broker from coming up.
        p.put("server.max.startup.time.ms", "60000");

        p.putAll(builder.overrides);
        return p;
    }

    private static void requirePortFree(int port, String role) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port));
        } catch (IOException e) {
            throw new KafkaTestBrokerException(
                    "Kafka test broker cannot start: " + role + " port " + HOST + ":" + port + " is already in use ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    /** Distinct free loopback ports, all held open together so that none is picked twice. */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(loopback(), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new KafkaTestBrokerException("Could not find a free port on " + HOST + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Nothing was accepted on it.
                }
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // Cannot happen for a four-byte address.
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete Kafka test broker log directory {}", root, e);
        }
    }

    /** Configures a {@link KafkaTestBroker}; {@link #build()} picks the ports and creates the log directory. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path logDir;
        private int numPartitions = 1;
        private int internalTopicPartitions = 1;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** The client port on 127.0.0.1; 0 (the default) picks a free port when the broker is built. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The KRaft controller port on 127.0.0.1; 0 (the default) picks a free port when the broker is built. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /**
         * A log directory to use and keep: created if missing, formatted unless it holds {@code meta.properties}, never
         * deleted. Without one the broker uses a new temporary directory that {@link KafkaTestBroker#close()} deletes.
         */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /** Partitions of automatically created topics ({@code num.partitions}); default 1. */
        public Builder numPartitions(int numPartitions) {
            if (numPartitions < 1) {
                throw new IllegalArgumentException("numPartitions must be at least 1, was " + numPartitions);
            }
            this.numPartitions = numPartitions;
            return this;
        }

        /**
         * Partitions of the consumer offsets and transaction state topics; default 1 (Kafka's 50 cost time when the
         * first group or transaction starts and buy nothing on one node).
         */
        public Builder internalTopicPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("internalTopicPartitions must be at least 1, was " + partitions);
            }
            this.internalTopicPartitions = partitions;
            return this;
        }

        /** Any other broker setting, applied last, so it also overrides the settings above. */
        public Builder serverProperty(String name, String value) {
            overrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Picks free ports where none were given and creates the log directory; does not start the broker. */
        public KafkaTestBroker build() {
            int[] free = freePorts(2);
            int brokerPort = port != 0 ? port : (free[0] != controllerPort ? free[0] : free[1]);
            int quorumPort = controllerPort != 0 ? controllerPort : (free[1] != brokerPort ? free[1] : free[0]);
            if (brokerPort == quorumPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both are " + brokerPort);
            }
            boolean temporary = logDir == null;
            Path directory;
            try {
                directory = temporary
                        ? Files.createTempDirectory("kafka-test-broker-")
                        : Files.createDirectories(logDir.toAbsolutePath());
            } catch (IOException e) {
                throw new KafkaTestBrokerException(
                        "Could not create Kafka log directory " + (temporary ? "" : logDir) + ": " + e.getMessage(), e);
            }
            return new KafkaTestBroker(this, brokerPort, quorumPort, directory, temporary);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            return port;
        }
    }
}
