package dev.camel.eventstore.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log directory: created when the broker is built, formatted before the first start as
 * {@code kafka-storage.sh format} does, and deleted on close when it is a temporary one.
 */
final class BrokerStorage {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private final Path directory;
    private final boolean temporary;

    private BrokerStorage(Path directory, boolean temporary) {
        this.directory = directory;
        this.temporary = temporary;
    }

    /**
     * The given directory (created if missing, kept), or a new temporary one (deleted by {@link #deleteIfTemporary()})
     * when {@code logDir} is {@code null}.
     */
    static BrokerStorage create(Path logDir) {
        boolean temporary = logDir == null;
        try {
            Path directory = temporary
                    ? Files.createTempDirectory("kafka-test-broker-")
                    : Files.createDirectories(logDir.toAbsolutePath());
            return new BrokerStorage(directory, temporary);
        } catch (IOException e) {
            throw new KafkaTestBrokerException(
                    "Could not create Kafka log directory " + (temporary ? "" : logDir) + ": " + e.getMessage(), e);
        }
    }

    Path directory() {
        return directory;
    }

    /**
     * Formats the log directory for the given broker configuration, unless it has been formatted already.
     *
     * @return whether it formatted the directory
     */
    boolean formatIfNeeded(Map<String, String> serverProperties) {
        if (Files.exists(directory.resolve(META_PROPERTIES))) {
            return false;
        }
        Path configFile = null;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Files.createDirectories(directory);
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
                        "Could not format Kafka log directory " + directory + " (status " + status + "): "
                                + output.toString(StandardCharsets.UTF_8).trim());
            }
            return true;
        } catch (IOException e) {
            throw new KafkaTestBrokerException(
                    "Could not prepare Kafka log directory " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof KafkaTestBrokerException) {
                throw e;
            }
            throw new KafkaTestBrokerException(
                    "Could not format Kafka log directory " + directory + ": " + e.getMessage(), e);
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

    /** Deletes a temporary directory with everything in it; a directory the user gave stays. */
    void deleteIfTemporary() {
        if (!temporary || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
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
            LOG.warn("Could not delete Kafka test broker log directory {}", directory, e);
        }
    }
}
