package dev.camel.eventstore.testkit.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates topics through Kafka's admin client and waits until the broker serves them. */
final class TopicCreator {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private TopicCreator() {}

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     *
     * @throws KafkaTestBrokerException if the topic already exists or cannot be created within 30 seconds
     */
    static void create(String bootstrapServers, String name, int partitions) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitTopicServed(admin, name, partitions, deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new KafkaTestBrokerException("Topic '" + name + "' already exists on " + bootstrapServers, e);
            }
            throw new KafkaTestBrokerException(
                    "Could not create topic '" + name + "' on " + bootstrapServers + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaTestBrokerException(
                    "Topic '" + name + "' was not created on " + bootstrapServers + " within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaTestBrokerException("Interrupted while creating topic '" + name + "'", e);
        }
    }

    private static Properties adminProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-test-broker-admin");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return properties;
    }

    private static void awaitTopicServed(Admin admin, String name, int partitions, long deadline)
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
                        && description.partitions().stream().allMatch(TopicCreator::hasLeader)) {
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
}
