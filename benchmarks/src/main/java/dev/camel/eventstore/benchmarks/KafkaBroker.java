package dev.camel.eventstore.benchmarks;

import dev.camel.eventstore.testkit.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * A {@link BrokerMain} child JVM and an admin client to create the runs' topics. A topic is handed out only when the
 * broker answers as the leader of each of its partitions: an idempotent producer whose first batch to a partition was
 * refused with NOT_LEADER_OR_FOLLOWER (the topic's description named the leader; the broker, it seems, had not yet
 * taken over) retried
 * the following batches with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout. Topics are never deleted while
 * the broker runs; the whole log directory goes when the broker is closed.
 */
final class KafkaBroker implements AutoCloseable {
    /** Kafka's own start script's heap and collector. */
    static final List<String> JVM = List.of(
            "-Xms1g",
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            // without it logback's default logs everything at DEBUG on standard output
            "-Dlogback.configurationFile=benchmarks-logback.xml");

    private final Path directory;
    private final JavaProcess process;
    private final String bootstrapServers;
    private final Admin admin;

    private KafkaBroker(Path directory, JavaProcess process, String bootstrapServers) {
        this.directory = directory;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    static KafkaBroker start() throws IOException {
        Path directory = Files.createTempDirectory("bench-kafka");
        JavaProcess process = JavaProcess.start(
                directory.resolve("process"),
                JVM,
                BrokerMain.class,
                directory.resolve("log").toString());
        String line = process.awaitLine(l -> l.startsWith(BrokerMain.READY), Duration.ofMinutes(2));
        return new KafkaBroker(
                directory, process, line.substring(BrokerMain.READY.length()).strip());
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return process.pid();
    }

    /** Creates a topic and waits until every partition has a leader. */
    void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .get(name);
                if (d.partitions().size() == partitions
                        && d.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    // only the leader answers ListOffsets: it fails until the broker has taken over each partition
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        ends.put(new TopicPartition(name, p), OffsetSpec.latest());
                    }
                    admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic " + name + " has no partition leaders answering after 30 s");
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        admin.close(Duration.ofSeconds(10));
        process.terminate(Duration.ofSeconds(60));
        Harness.deleteTree(directory);
    }
}
