package dev.camel.eventstore.testkit.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
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
    private final BrokerStorage storage;
    private final Map<String, String> serverProperties;

    private KafkaRaftServer server;
    private boolean closed;

    private KafkaTestBroker(Builder builder, int port, int controllerPort, BrokerStorage storage) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.storage = storage;
        this.serverProperties = Map.copyOf(BrokerSettings.serverProperties(
                port,
                controllerPort,
                storage.directory(),
                builder.numPartitions,
                builder.internalTopicPartitions,
                builder.overrides));
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
        LoopbackPorts.requireFree(port, "broker");
        LoopbackPorts.requireFree(controllerPort, "controller");
        long formatNanos = System.nanoTime();
        boolean formatted = storage.formatIfNeeded(serverProperties);
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
                    "Kafka test broker failed to start on " + bootstrapServers() + " (log dir " + logDir() + "): "
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
                logDir());
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
            storage.deleteIfTemporary();
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
        return storage.directory();
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
        TopicCreator.create(bootstrapServers(), name, partitions);
    }

    @Override
    public String toString() {
        return "KafkaTestBroker[" + bootstrapServers() + ", logDir=" + logDir() + ", running=" + isRunning() + "]";
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
            int[] ports = LoopbackPorts.pick(port, controllerPort);
            return new KafkaTestBroker(this, ports[0], ports[1], BrokerStorage.create(logDir));
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            return port;
        }
    }
}
